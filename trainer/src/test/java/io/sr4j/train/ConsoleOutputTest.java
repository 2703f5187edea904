package io.sr4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run prints when its output is not a terminal (nohup, cluster jobs), and what a resume says. */
class ConsoleOutputTest {
  @TempDir Path dir;

  private List<String> train(Path yml, List<String> overrides, String resume, long[] trainedNow) {
    List<String> console = new ArrayList<>();
    Trainer.Result r = new Trainer(RunSetup.prepare(ConfigLoader.load(yml, overrides),
        RunSetup.Source.of(yml, overrides), resume), console::add).run(resume);
    trainedNow[0] = r.trainedNow();
    return console;
  }

  @Test
  void redirectedOutputGetsAnEarlyLineAndPeriodicLinesWithEtaUnitsAndMemoryAndResumeNamesWhatChanged()
      throws IOException {
    Path yml = dir.resolve("c.yml");
    Files.writeString(yml, """
        name: console
        scale: 3
        datasets:
          train: {type: SRCNNSubImageDataset, dataroot_gt: T91, batch_size_per_gpu: 8, num_worker_per_gpu: 1}
        network_g: {type: srcnn, scale: 3, num_in_ch: 1, kernel_sizes: [5, 1, 3], num_feat: [8, 4], padding: valid}
        path: {experiments_root: %s}
        train: {optim_g: {type: Adam, lr: 0.001}, total_iter: 6, pixel_opt: {type: MSELoss}}
        logger: {print_freq: 3, save_checkpoint_freq: 3}
        """.formatted(dir.resolve("runs")));
    long[] trained = new long[1];
    List<String> first = train(yml, List.of("train.total_iter=3"), null, trained);
    assertEquals(3, trained[0]);
    assertTrue(first.stream().anyMatch(l -> l.startsWith("[iter 1/3] first step ") && l.contains(" s; eta ")), first.toString());
    String periodic = first.stream().filter(l -> l.startsWith("[iter 3/3]")).findFirst().orElseThrow();
    assertTrue(periodic.matches("\\[iter 3/3\\] eta \\S+, l_pix \\S+, lr 1\\.000e-03, epoch 0, \\d+\\.\\d{3} s/it "
        + "\\(data \\d+\\.\\d{3} s\\), peak \\d+ MB"), periodic);

    List<String> resumed = train(yml, List.of("logger.print_freq=2"), "auto", trained);
    assertEquals(3, trained[0], "this call trained 3 of the 6 iterations");
    assertTrue(resumed.stream().anyMatch(l -> l.contains("the config differs from the one the checkpoint was written "
        + "with in [logger.print_freq, train.total_iter]")), resumed.toString());
  }
}
