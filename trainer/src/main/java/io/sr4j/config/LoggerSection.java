package io.sr4j.config;

/**
 * {@code logger}: losses are logged every {@code print_freq} iterations, a checkpoint is written every
 * {@code save_checkpoint_freq} iterations and the newest {@code keep_checkpoints} are kept (plus the best).
 */
public record LoggerSection(Long printFreq, Long saveCheckpointFreq, Integer keepCheckpoints) {
  public LoggerSection {
    printFreq = Check.longAtLeast("print_freq", printFreq, 1, 100);
    saveCheckpointFreq = Check.longAtLeast("save_checkpoint_freq", saveCheckpointFreq, 1, 5000);
    keepCheckpoints = Check.intAtLeast("keep_checkpoints", keepCheckpoints, 1, 3);
  }

  public static LoggerSection defaults() {
    return new LoggerSection(null, null, null);
  }
}
