package io.sr4j.cli;

import io.sr4j.ckpt.WeightsZoo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sr weights}: the weights zoo. */
@Command(
    name = "weights",
    mixinStandardHelpOptions = true,
    description = {
      "Published weights by name: VGG-19/VGG-16, the LPIPS layers, ESRGAN and BasicSR generators.",
      "",
      "Files go to the cache, $SR4J_HOME/weights (default ~/.cache/sr4j/weights); configs and --model",
      "name them as zoo:NAME (train.perceptual_opt.weights: zoo:vgg19)."
    },
    subcommands = {WeightsCommand.ListWeights.class, WeightsCommand.DownloadWeights.class})
final class WeightsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: list or download");
  }

  /** The zoo of the bundled catalogue, or of {@code catalogue} when given. */
  static WeightsZoo zoo(Path catalogue) {
    return catalogue == null ? WeightsZoo.standard()
        : new WeightsZoo(WeightsZoo.Catalogue.read(catalogue), WeightsZoo.defaultCacheDir());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the zoo: name, whether it is in the cache, what it is, and how a download is verified.",
        "",
        "--sources adds each file's URL and where its URL, size and hash come from."
      })
  static final class ListWeights implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--catalogue", paramLabel = "FILE",
        description = "A catalogue in the format of the bundled one (a mirror, in-house weights).")
    Path catalogue;

    @Option(names = "--sources", description = "Also print each URL and where URL, size and hash come from.")
    boolean sources;

    @Override
    public Integer call() {
      WeightsZoo zoo = zoo(catalogue);
      PrintWriter out = spec.commandLine().getOut();
      out.println("cache: " + zoo.cacheDir());
      for (WeightsZoo.Entry e : zoo.entries()) {
        boolean cached = Files.isRegularFile(zoo.cachedFile(e));
        out.printf(Locale.ROOT, "%-28s %-10s %s%n", e.name(), cached ? "cached" : "-", e.use());
        out.printf(Locale.ROOT, "%-28s %-10s %s; checked: %s%n", "", "", e.file(), e.verification());
        if (sources) {
          out.printf(Locale.ROOT, "%-28s %-10s %s%n%-28s %-10s source: %s%n", "", "", e.url(), "", "", e.source());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "download",
      mixinStandardHelpOptions = true,
      description = {
        "Download one zoo entry, verified, into the cache (or --to DIR).",
        "",
        "Downloads resume where an earlier run stopped (HTTP Range). The file is checked against what its",
        "publisher states (size; full SHA-256, or the SHA-256 prefix its name carries) and against the SHA-256",
        "recorded in the folder's SHA256SUMS by the first download; it gets its final name only once verified.",
        "A file already there is verified again instead of downloaded."
      })
  static final class DownloadWeights implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "A zoo entry (see 'sr weights list').")
    String name;

    @Option(names = "--to", paramLabel = "DIR", description = "Destination folder. Default: the cache.")
    Path to;

    @Option(names = "--catalogue", paramLabel = "FILE",
        description = "A catalogue in the format of the bundled one (a mirror, in-house weights).")
    Path catalogue;

    @Option(names = "--attempts", defaultValue = "5", paramLabel = "N",
        description = "Requests, each resuming the last, before giving up. Default: ${DEFAULT-VALUE}.")
    int attempts;

    @Override
    public Integer call() throws InterruptedException {
      if (attempts < 1) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--attempts': " + attempts);
      }
      PrintWriter out = spec.commandLine().getOut();
      WeightsZoo.Download d = zoo(catalogue).download(name, to, attempts, TerminalProgress.to(out));
      boolean hashPublished = d.entry().sha256() != null || d.entry().sha256Prefix() != null;
      String how = d.alreadyPresent() ? "already present, verified"
          : !hashPublished && d.firstSeenHash()
              ? "downloaded; its publisher states no hash, so this SHA-256 was recorded and later downloads must "
                  + "match it"
              : "downloaded and verified" + (d.firstSeenHash() ? "; its full SHA-256 was recorded" : "");
      out.printf(Locale.ROOT, "%s: %s (%s)%nSHA-256 %s%n", d.entry().name(), d.file(), how, d.sha256());
      return 0;
    }
  }
}
