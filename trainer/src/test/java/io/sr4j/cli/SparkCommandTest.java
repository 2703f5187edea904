package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkCommandTest {
  @TempDir Path dir;

  @Test
  void printsTheSparkSubmitCommandWithTheJobOptionsPassedThrough() {
    String home = System.getProperty("sr4j.home");
    CliRunner.Result r = CliRunner.run("spark", "upscale", "--master", "spark://10.0.0.5:7077", "--print-only",
        "--spark-submit", "/opt/spark/bin/spark-submit", "--task-cpus", "2", "--executor-memory", "4g", "--conf",
        "spark.speculation=true", "--model", "pretrained/srcnn_955_x3.zip", "--scale", "3", "--input", "my photos",
        "--output", "hdfs://nn:8020/out");
    assertEquals(0, r.exit(), r.err());
    assertEquals("/opt/spark/bin/spark-submit --master spark://10.0.0.5:7077 --deploy-mode client --name 'sr4j upscale'"
        + " --conf spark.task.cpus=2 --conf spark.executorEnv.OMP_NUM_THREADS=2 --executor-memory 4g"
        + " --conf spark.speculation=true --class io.sr4j.spark.SparkMain " + home + "/trainer/spark/target/sr4j-spark.jar"
        + " upscale --model pretrained/srcnn_955_x3.zip --scale 3 --input 'my photos' --output hdfs://nn:8020/out\n",
        r.out());
  }

  @Test
  void aClusterModeSubmissionTakesTheJarFromAUri() {
    CliRunner.Result r = CliRunner.run("spark", "prepare", "--master", "k8s://https://k8s:6443", "--deploy-mode",
        "cluster", "--print-only", "--spark-submit", "spark-submit", "--app-jar", "local:///opt/sr4j/sr4j-spark.jar",
        "--num-executors", "8", "--input", "s3a://data/DIV2K_train_HR", "--output", "s3a://data/DIV2K", "--scale", "4");
    assertEquals(0, r.exit(), r.err());
    assertEquals("spark-submit --master k8s://https://k8s:6443 --deploy-mode cluster --name 'sr4j prepare'"
        + " --conf spark.task.cpus=1 --conf spark.executorEnv.OMP_NUM_THREADS=1 --num-executors 8"
        + " --class io.sr4j.spark.SparkMain local:///opt/sr4j/sr4j-spark.jar prepare --input s3a://data/DIV2K_train_HR"
        + " --output s3a://data/DIV2K --scale 4\n", r.out());
  }

  @Test
  void anAblationIsSubmittedWithItsSpecAndTaskCores() {
    CliRunner.Result r = CliRunner.run("spark", "ablate", "--master", "spark://m:7077", "--print-only", "--spark-submit",
        "spark-submit", "--app-jar", "/opt/sr4j/app.jar", "--task-cpus", "4", "/nfs/specs/lr.yml", "--resume");
    assertEquals(0, r.exit(), r.err());
    assertEquals("spark-submit --master spark://m:7077 --deploy-mode client --name 'sr4j ablate'"
        + " --conf spark.task.cpus=4 --conf spark.executorEnv.OMP_NUM_THREADS=4"
        + " --class io.sr4j.spark.SparkMain /opt/sr4j/app.jar ablate /nfs/specs/lr.yml --resume\n", r.out());
  }

  @Test
  void runsSparkSubmitAndReturnsItsExitCode() throws IOException {
    Path args = dir.resolve("args.txt");
    Path submit = dir.resolve("spark-submit");
    Files.writeString(submit, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + args + "\necho \"OMP=$OMP_NUM_THREADS\" >> " + args
        + "\nexit 3\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.writeString(dir.resolve("app.jar"), "");
    CliRunner.Result r = CliRunner.run("spark", "evaluate", "--master", "local[2]", "--spark-submit", submit.toString(),
        "--app-jar", jar.toString(), "--model", "bicubic", "--hr", "Set5", "--scale", "4", "--output", "out");
    assertEquals(3, r.exit(), r.err());
    List<String> lines = Files.readAllLines(args);
    assertEquals(List.of("--class", "io.sr4j.spark.SparkMain", jar.toString(), "evaluate", "--model", "bicubic", "--hr",
        "Set5", "--scale", "4", "--output", "out", "OMP=1"), lines.subList(lines.indexOf("--class"), lines.size()));
    assertEquals(List.of("--master", "local[2]"), lines.subList(0, 2));
  }

  @Test
  void badSubmissionsAreOneLineErrors() throws IOException {
    CliRunner.Result noJob = CliRunner.run("spark", "prepare", "--master", "local[2]", "--print-only");
    assertEquals(2, noJob.exit());
    assertTrue(noJob.err().contains("the job's options are missing"), noJob.err());
    assertEquals(1, noJob.errLines());

    CliRunner.Result mode = CliRunner.run("spark", "prepare", "--master", "yarn", "--deploy-mode", "remote",
        "--print-only", "--input", "hr", "--output", "out");
    assertEquals(2, mode.exit());
    assertTrue(mode.err().contains("'--deploy-mode': remote (expected client or cluster)"), mode.err());

    Path missing = dir.resolve("no-spark/bin/spark-submit");
    CliRunner.Result noSubmit = CliRunner.run("spark", "upscale", "--master", "local[2]", "--spark-submit",
        missing.toString(), "--model", "bicubic", "--scale", "2", "--input", "in", "--output", "out");
    assertEquals(1, noSubmit.exit());
    assertEquals("sr spark upscale: " + missing + ": not an executable spark-submit; set SPARK_HOME to a Spark 3.5 "
        + "installation or give --spark-submit PATH", noSubmit.err().strip());

    Path submit = Files.writeString(dir.resolve("spark-submit"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = dir.resolve("missing.jar");
    CliRunner.Result noJar = CliRunner.run("spark", "upscale", "--master", "local[2]", "--spark-submit",
        submit.toString(), "--app-jar", jar.toString(), "--model", "bicubic", "--scale", "2", "--input", "in",
        "--output", "out");
    assertEquals(1, noJar.exit());
    assertTrue(noJar.err().startsWith("sr spark upscale: " + jar + ": the Spark application jar is missing"),
        noJar.err());
    assertEquals(1, noJar.errLines());
  }
}
