package io.sr4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.infer.Models;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upscale job on a real Spark standalone cluster on 127.0.0.1: a Master and a Worker in JVMs of their own,
 * started from the Maven-resolved jars, and an executor JVM that the Worker launches from {@code $SPARK_HOME/jars}.
 * SPARK_HOME is a throwaway folder whose {@code jars/} links the libraries of this test's classpath; the project's
 * own classes reach the executor the way spark-submit ships an application: as jars served by the driver.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
  private static final String MODULE_OPTIONS = System.getProperty("spark.module.options", "");

  @TempDir static Path tmp;

  private static Process master;
  private static Process worker;
  private static JavaSparkContext sc;

  @BeforeAll
  static void startCluster() throws IOException, InterruptedException {
    Path sparkHome = tmp.resolve("spark-home");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    List<String> ownJars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      if (Files.isDirectory(p)) { // this project's classes (target/classes, target/test-classes of the modules)
        ownJars.add(jarOf(p, tmp.resolve("app-" + ownJars.size() + ".jar")).toString());
      } else if (name.startsWith("sr4j-")) {
        ownJars.add(p.toString());
      } else if (name.endsWith(".jar") && !Files.exists(jars.resolve(name))) {
        Files.createSymbolicLink(jars.resolve(name), p.toAbsolutePath());
      }
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "spark://127.0.0.1:" + port;
    master = daemon(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", "0");
    awaitLog(master, tmp.resolve("master.log"), "I have been elected leader");
    worker = daemon(sparkHome, "worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
        "--webui-port", "0", "--cores", "2", "--memory", "2g", "--work-dir", tmp.resolve("work").toString(), url);
    awaitLog(worker, tmp.resolve("worker.log"), "Successfully registered with master");
    sc = new JavaSparkContext(new SparkConf().setMaster(url).setAppName("sr4j standalone test")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false").set("spark.jars", String.join(",", ownJars))
        .set("spark.cores.max", "2").set("spark.executor.cores", "2").set("spark.executor.memory", "1g")
        .set("spark.executorEnv.OMP_NUM_THREADS", "1") // what sr spark sets for --task-cpus 1
        .set("spark.executor.extraJavaOptions", MODULE_OPTIONS + " -Djava.awt.headless=true"
            + " -Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=4G"));
  }

  /** A Spark daemon in its own JVM, its output going to {@code <name>.log}. */
  private static Process daemon(Path sparkHome, String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", sparkHome.resolve("jars") + File.separator + "*"));
    command.addAll(Arrays.asList(MODULE_OPTIONS.split(" +")));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.12");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return pb.start();
  }

  private static void awaitLog(Process p, Path log, String line) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + line + "' from " + log.getFileName() + ":\n" + Files.readString(log));
  }

  private static Path jarOf(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  @AfterAll
  static void stopCluster() throws InterruptedException, IOException {
    if (sc != null) {
      sc.stop();
    }
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : new Process[] {worker, master}) {
      if (p != null) {
        all.addAll(p.descendants().toList()); // executors the Worker launched
        all.add(p.toHandle());
      }
    }
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        h.destroyForcibly();
      }
    }
    for (ProcessHandle h : all) {
      h.onExit().join();
      assertFalse(h.isAlive(), "process " + h.pid() + " still running");
    }
    try (Stream<Path> links = Files.list(tmp.resolve("spark-home/jars"))) {
      for (Path link : links.toList()) {
        Files.delete(link); // the link, not the jar in the Maven repository
      }
    }
  }

  @Test
  @Order(1)
  void aOneTaskJobRunsInAnExecutorTheWorkerLaunchedWithTheNd4jThreadsItWasGiven() {
    List<Long> seen = sc.parallelize(List.of(0), 1)
        .map(i -> List.of(ProcessHandle.current().pid(), (long) Nd4j.getEnvironment().maxThreads())).collect().get(0);
    long pid = seen.get(0);
    assertNotEquals(ProcessHandle.current().pid(), pid);
    assertTrue(worker.descendants().anyMatch(h -> h.pid() == pid), "executor " + pid + " is not the Worker's child");
    assertEquals(1L, seen.get(1), "ND4J threads in the executor (OMP_NUM_THREADS)");
  }

  @Test
  @Order(2)
  void theUpscaleJobAcrossTheProcessBoundaryGivesTheBytesOfSrUpscale() throws IOException {
    Path in = TestData.writeLr(tmp.resolve("lr"), 3, "Set5");
    String model = TestData.SRCNN_X3.toString();
    Path out = tmp.resolve("cluster-out");
    ItemRunner.Run run = UpscaleJob.run(sc, new UpscaleJob.Options(Models.ModelSpec.of(model), 3, in.toString(), false,
        out.toString(), 0, 16, 0), new PrintWriter(new StringWriter()));
    assertEquals(5, run.count(ManifestEntry.DONE));
    assertTrue(run.entries().stream().noneMatch(e -> e.executor().equals("driver")), "items ran in the driver");
    Path local = tmp.resolve("local-out");
    TestData.sr("upscale", "-m", model, "-s", "3", "-i", in.toString(), "-o", local.toString());
    UpscaleJobTest.assertSamePngs(local, out);
  }
}
