package io.sr4j.cli;

import io.sr4j.ablate.AblationPlan;
import picocli.CommandLine.Command;

@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Random search over a tuning spec (log-uniform rates, choices, integer ranges), reproducible from its seed.",
      "",
      "Arbiter draws max_candidates candidates; each trains into <experiments_root>/<spec name>/c<k>_s<seed>/.",
      "Results ranked by the spec's metric: results.md, results.csv, results.json, curves.png, grid.png and",
      "best.yml, the best candidate as a ready-to-run config."
    })
final class TuneCommand extends SearchCommand {
  @Override
  AblationPlan.Kind kind() {
    return AblationPlan.Kind.TUNE;
  }
}
