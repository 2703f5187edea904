package io.sr4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sr4j.ablate.TinyAblation;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sr tune}: a seeded random search ranked by the spec's metric, and the best candidate as a config. */
class TuneCommandTest {
  @TempDir Path dir;

  @Test
  void rankedSearchWritesTheBestCandidateAsAReadyToRunConfig() throws IOException {
    TinyAblation.base(dir, 2, 2, 2);
    Path spec = TinyAblation.write(dir.resolve("search.yml"), """
        base: base.yml
        search:
          train.optim_g.lr: {log_uniform: [1.0e-4, 1.0e-2]}
          network_g.num_feat: {integer: [4, 12]}
        max_candidates: 3
        seed: 9
        metrics: {rank: Set5_psnr, better: higher}
        """);
    CliRunner.Result r = CliRunner.run("tune", spec.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("candidate 3 of 3"), r.out());
    Path out = dir.resolve("runs/search");
    JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals("tune", results.get("kind").asText());
    assertEquals(9, results.get("search_seed").asLong());
    List<Double> scores = new java.util.ArrayList<>();
    results.get("variants").forEach(v -> scores.add(v.get("stats").get("Set5_psnr").get("mean").asDouble()));
    assertEquals(3, scores.size());
    assertTrue(scores.get(0) >= scores.get(1) && scores.get(1) >= scores.get(2), "best first: " + scores);

    JsonNode best = results.get("variants").get(0);
    assertEquals("best.yml", results.get("best_config").asText());
    TrainConfig cfg = ConfigLoader.load(out.resolve("best.yml"), List.of());
    assertEquals("search_best", cfg.name());
    assertEquals(dir.resolve("runs").toString(), cfg.path().experimentsRoot(), "trains next to the search, not in it");
    assertEquals(best.get("overrides").get("train.optim_g.lr").asDouble(), cfg.train().optimG().lr(), 0);
    assertEquals(best.get("overrides").get("network_g.num_feat").asInt(), cfg.networkG().options().get("num_feat"));
    assertTrue(Files.readString(out.resolve("best.yml")).startsWith("# Best of 3 finished of 3 candidates of sr tune"));
  }
}
