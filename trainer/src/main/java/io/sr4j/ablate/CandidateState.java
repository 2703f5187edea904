package io.sr4j.ablate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.data.AtomicFiles;
import io.sr4j.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code candidate.json} in a candidate's run folder: {@code state} (running, finished, stopped: ended by the
 * wall-clock budget, failed), {@code reason} (why it failed or stopped), {@code iterations} trained, {@code seconds}
 * of training over all processes that worked on it. Finished and stopped candidates are skipped when an ablation
 * resumes; the others continue from their newest checkpoint.
 */
record CandidateState(String state, String reason, long iterations, double seconds) {
  static final String FILE = "candidate.json";
  static final String RUNNING = "running";
  static final String FINISHED = "finished";
  static final String STOPPED = "stopped";
  static final String FAILED = "failed";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Finished or stopped by the budget: nothing left to train. */
  boolean done() {
    return state.equals(FINISHED) || state.equals(STOPPED);
  }

  /** The state in {@code runDir}, or null when the candidate has not started. */
  static CandidateState read(Path runDir) {
    Path file = runDir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
      return new CandidateState((String) m.get("state"), (String) m.get("reason"),
          ((Number) m.get("iterations")).longValue(), ((Number) m.get("seconds")).doubleValue());
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file + ": not a candidate state file (" + e.getMessage() + ")", e);
    }
  }

  /** Completed iterations as the run's status.json last reported them (0 when it has none). */
  static long trainedIterations(Path runDir) {
    Path file = runDir.resolve("status.json");
    try {
      JsonNode n = Files.exists(file) ? JSON.readTree(file.toFile()).get("iteration") : null;
      return n == null ? 0 : n.asLong();
    } catch (IOException e) {
      return 0; // unreadable: the failure is described without the count
    }
  }

  void write(Path runDir, AblationPlan.Candidate c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", 1);
    m.put("candidate", c.name());
    m.put("seed", c.seed());
    m.put("state", state);
    m.put("reason", reason);
    m.put("iterations", iterations);
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    m.put("overrides", c.overrides());
    Path file = runDir.resolve(FILE);
    try {
      Files.createDirectories(runDir);
      AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot write (" + e.getMessage() + ")", e);
    }
  }
}
