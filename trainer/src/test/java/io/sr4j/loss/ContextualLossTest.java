package io.sr4j.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.arch.Architectures;
import io.sr4j.config.ConfigException;
import io.sr4j.config.ConfigLoader;
import io.sr4j.config.LossTermConfig;
import io.sr4j.config.TrainConfig;
import io.sr4j.nn.InputGradientGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contextual (CX) and contextual bilateral (CoBi) losses: the properties that make them useful on misaligned
 * pairs, their gradients (hand-derived and autodiff) against finite differences in double, and the sampling.
 */
class ContextualLossTest {
  private static final Map<String, Double> DEFAULT_LAYERS = defaultLayers();

  private static Map<String, Double> defaultLayers() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("relu1_2", 1.0);
    m.put("relu2_2", 1.0);
    m.put("relu3_2", 0.5);
    return m;
  }

  private static ContextualLoss.Config config(String type, Map<String, Double> layers, double rgbWeight, int patchPx,
      Double wSpatial, int side, String backward) {
    return new ContextualLoss.Config(type, 1.0, layers, rgbWeight, patchPx, 1, null, null, null, wSpatial, side, null,
        null, layers.isEmpty() ? null : true, backward);
  }

  /** A texture with a correlation length of about two pixels: [3][size][size] in [0, 1]. */
  private static double[][][] texture(int size, long seed) {
    Random rnd = new Random(seed);
    double[][][] noise = new double[3][size][size];
    for (double[][] plane : noise) {
      for (double[] row : plane) {
        for (int x = 0; x < size; x++) {
          row[x] = rnd.nextDouble();
        }
      }
    }
    return blur(noise, 0.8);
  }

  /** Gaussian blur (radius 3 sigma, edge pixels repeated). */
  private static double[][][] blur(double[][][] img, double sigma) {
    int r = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + r];
    }
    int n = img[0].length;
    double[][][] tmp = new double[3][n][n];
    double[][][] out = new double[3][n][n];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double h = 0;
          for (int i = -r; i <= r; i++) {
            h += k[i + r] / sum * img[c][y][Math.min(n - 1, Math.max(0, x + i))];
          }
          tmp[c][y][x] = h;
        }
      }
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double v = 0;
          for (int i = -r; i <= r; i++) {
            v += k[i + r] / sum * tmp[c][Math.min(n - 1, Math.max(0, y + i))][x];
          }
          out[c][y][x] = v;
        }
      }
    }
    return out;
  }

  /** The {@code side} x {@code side} crop at (x0, y0) as [1, 3, side, side]. */
  private static INDArray crop(double[][][] img, int x0, int y0, int side, DataType type) {
    double[] v = new double[3 * side * side];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          v[(c * side + y) * side + x] = img[c][y0 + y][x0 + x];
        }
      }
    }
    return Nd4j.createFromArray(v).reshape(1, 3, side, side).castTo(type);
  }

  /** A small VGG-19 in double with random weights (outputs: {@code layers}). */
  private static InputGradientGraph doubleVgg(List<String> layers, long seed) {
    InputGradientGraph vgg = new InputGradientGraph(Architectures.get("vgg19").configuration(
        Map.of("layers", layers), "vgg19"));
    vgg.getConfiguration().setDataType(DataType.DOUBLE);
    vgg = new InputGradientGraph(vgg.getConfiguration());
    vgg.init();
    Nd4j.getRandom().setSeed(seed);
    vgg.params().assign(Nd4j.rand(DataType.DOUBLE, vgg.params().shape()).subi(0.5).muli(0.3));
    return vgg;
  }

  private static ContextualLoss term(ContextualLoss.Config c, long seed) {
    InputGradientGraph vgg = c.usesVgg() ? PerceptualLoss.featureNetwork(null, List.copyOf(c.layerWeights().keySet()),
        true, seed, "test") : null;
    return new ContextualLoss("cobi", c, vgg, seed);
  }

  @Test
  void cobiOfAnImageWithItselfIsAboutZero() {
    INDArray x = crop(texture(40, 1), 0, 0, 40, DataType.FLOAT);
    for (Map<String, Double> layers : List.of(DEFAULT_LAYERS, Map.<String, Double>of())) {
      ContextualLoss loss = term(config(ContextualLoss.COBI, layers, layers.isEmpty() ? 1 : 0, 10, null, 63,
          "analytic"), 3);
      LossResult r = loss.compute(x, x.dup());
      assertEquals(0, r.value(), 1e-4, layers + ": " + r.value());
      assertTrue(r.gradient().amaxNumber().doubleValue() < 1e-2, layers + ": gradient at the minimum");
    }
  }

  @Test
  void cobiPrefersAShiftedCopyToABlurredOneWhileL1PrefersTheBlur() {
    double[][][] big = texture(52, 2);
    INDArray x = crop(big, 2, 2, 48, DataType.FLOAT);
    INDArray blurred = crop(blur(big, 1.2), 2, 2, 48, DataType.FLOAT);
    INDArray shifted = crop(big, 4, 2, 48, DataType.FLOAT); // 2 px to the left
    ElementwiseLoss l1 = new ElementwiseLoss("pix", ElementwiseLoss.Kind.L1, "mean", 0, 1);
    double l1Blur = l1.compute(blurred, x).value();
    double l1Shift = l1.compute(shifted, x).value();
    assertTrue(l1Blur < l1Shift, "L1: blur " + l1Blur + " vs shift " + l1Shift);
    for (Map<String, Double> layers : List.of(DEFAULT_LAYERS, Map.<String, Double>of())) {
      ContextualLoss cobi = term(config(ContextualLoss.COBI, layers, layers.isEmpty() ? 1 : 2, 10, null, 63,
          "analytic"), 3);
      double blur = cobi.compute(blurred, x).value();
      double shift = cobi.compute(shifted, x).value();
      assertTrue(blur > shift, layers + ": CoBi blur " + blur + " vs shift " + shift);
    }
  }

  @Test
  void cobiWithoutTheSpatialTermIsTheContextualLoss() {
    double[][][] big = texture(30, 4);
    INDArray hr = crop(big, 0, 0, 24, DataType.FLOAT);
    INDArray sr = crop(blur(big, 0.7), 3, 1, 24, DataType.FLOAT);
    LossResult cobi0 = term(config(ContextualLoss.COBI, DEFAULT_LAYERS, 2, 5, 0.0, 10, "analytic"), 8).compute(sr, hr, 4);
    LossResult cx = term(config(ContextualLoss.CX, DEFAULT_LAYERS, 2, 5, null, 10, "analytic"), 8).compute(sr, hr, 4);
    assertEquals(cx.value(), cobi0.value(), 0);
    assertEquals(cx.gradient(), cobi0.gradient());
    LossResult cobi = term(config(ContextualLoss.COBI, DEFAULT_LAYERS, 2, 5, null, 10, "analytic"), 8).compute(sr, hr, 4);
    assertNotEquals(cx.value(), cobi.value());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"COSINE", "SQUARED_L2"})
  void contextualIgnoresWhereFeaturesAreCobiDoesNot(ContextualCore.Distance distance) {
    Nd4j.getRandom().setSeed(12);
    INDArray target = Nd4j.rand(DataType.DOUBLE, 30, 8);
    INDArray prediction = target.add(Nd4j.randn(DataType.DOUBLE, 30, 8).muli(0.05));
    INDArray mean = target.mean(true, 0);
    int[] order = new int[30];
    for (int i = 0; i < 30; i++) {
      order[i] = (i * 7 + 3) % 30; // a permutation of the prediction's positions
    }
    INDArray permuted = Nd4j.pullRows(prediction, 1, order);
    for (String route : List.of("analytic", "autodiff")) {
      ContextualCore cx = core(route, distance, 0);
      assertEquals(cx.compute(prediction, target, mean).loss(), cx.compute(permuted, target, mean).loss(), 1e-12,
          route + ": CX is a function of the set of predicted features");
      ContextualCore cobi = core(route, distance, 0.1);
      double aligned = cobi.compute(prediction, target, mean).loss();
      double moved = cobi.compute(permuted, target, mean).loss();
      assertTrue(moved > aligned + 0.05, route + ": CoBi penalises displaced features: " + moved + " vs " + aligned);
    }
  }

  private static ContextualCore core(String route, ContextualCore.Distance distance, double wSpatial) {
    ContextualCore.Params p = new ContextualCore.Params(distance, 0.5, 1e-3, 1e-5, wSpatial);
    return route.equals("analytic") ? new ContextualAnalytic(p) : new ContextualAutodiff(p);
  }

  @ParameterizedTest(name = "{0} {1} w_s={2}")
  @CsvSource({"analytic, COSINE, 0.1", "analytic, SQUARED_L2, 0.1", "analytic, COSINE, 0", "autodiff, COSINE, 0.1",
      "autodiff, SQUARED_L2, 0.1"})
  void coreGradientsMatchFiniteDifferences(String route, ContextualCore.Distance distance, double wSpatial) {
    Nd4j.getRandom().setSeed(21);
    INDArray target = Nd4j.rand(DataType.DOUBLE, 7, 5);
    INDArray prediction = Nd4j.rand(DataType.DOUBLE, 7, 5);
    INDArray mean = target.mean(true, 0);
    ContextualCore c = core(route, distance, wSpatial);
    FiniteDifferences.check(prediction, c.compute(prediction, target, mean).gradient(),
        x -> c.compute(x, target, mean).loss(), 18, 1e-6, route + " " + distance);
  }

  @Test
  void handDerivedAndAutodiffGradientsAgree() {
    Nd4j.getRandom().setSeed(5);
    for (ContextualCore.Distance distance : ContextualCore.Distance.values()) {
      double range = distance == ContextualCore.Distance.SQUARED_L2 ? 255 : 1; // patches are x255
      INDArray target = Nd4j.rand(DataType.DOUBLE, 50, 12).muli(range);
      INDArray prediction = target.add(Nd4j.randn(DataType.DOUBLE, 50, 12).muli(0.1 * range));
      INDArray mean = target.mean(true, 0);
      ContextualCore.Result hand = core("analytic", distance, 0.1).compute(prediction, target, mean);
      ContextualCore.Result auto = core("autodiff", distance, 0.1).compute(prediction, target, mean);
      assertEquals(auto.loss(), hand.loss(), 1e-12, distance.toString());
      double scale = auto.gradient().amaxNumber().doubleValue();
      assertTrue(scale > 1e-6 / range, distance + ": a gradient worth comparing, " + scale);
      assertTrue(auto.gradient().equalsWithEps(hand.gradient(), 1e-9 * scale),
          distance + ": " + auto.gradient().sub(hand.gradient()).amaxNumber());
    }
  }

  /** The whole term (sampling, VGG features, patches, batch mean); the autodiff core is checked on its own above. */
  @Test
  void wholeTermGradientMatchesFiniteDifferences() {
    Map<String, Double> layers = new LinkedHashMap<>();
    layers.put("relu1_2", 1.0);
    layers.put("relu2_1", 0.5);
    // 8 x 8 images: 64 positions at relu1_2 and 64 patch positions, sampled down to 36; 16 at relu2_1
    ContextualLoss.Config c = config(ContextualLoss.COBI, layers, 2, 3, null, 6, "analytic");
    ContextualLoss loss = new ContextualLoss("cobi", c, doubleVgg(List.of("relu1_2", "relu2_1"), 7), 11);
    Nd4j.getRandom().setSeed(13);
    INDArray hr = Nd4j.rand(DataType.DOUBLE, 2, 3, 8, 8);
    INDArray sr = hr.add(Nd4j.randn(DataType.DOUBLE, 2, 3, 8, 8).muli(0.05));
    LossResult r = loss.compute(sr, hr, 3);
    FiniteDifferences.check(sr, r.gradient(), x -> loss.compute(x, hr, 3).value(), 16, 1e-5, "CoBi");
  }

  @Test
  void positionsAreAReproducibleNewDrawEachIteration() {
    ContextualLoss a = term(config(ContextualLoss.COBI, Map.of(), 1, 3, null, 10, "analytic"), 42);
    ContextualLoss b = term(config(ContextualLoss.COBI, Map.of(), 1, 3, null, 10, "analytic"), 42);
    int[] first = a.sample(4096, 17, 0);
    assertEquals(100, first.length);
    assertEquals(100, Arrays.stream(first).distinct().filter(p -> p >= 0 && p < 4096).count());
    assertArrayEquals(first, b.sample(4096, 17, 0), "a function of seed, iteration and layer");
    assertNotEquals(Arrays.toString(first), Arrays.toString(a.sample(4096, 18, 0)));
    assertNotEquals(Arrays.toString(first), Arrays.toString(a.sample(4096, 17, 1)));
    assertNotEquals(Arrays.toString(first), Arrays.toString(
        term(config(ContextualLoss.COBI, Map.of(), 1, 3, null, 10, "analytic"), 43).sample(4096, 17, 0)));
    assertEquals(99, a.sample(99, 17, 0).length, "layers with at most 10^2 positions are used whole");
    INDArray hr = crop(texture(24, 6), 0, 0, 24, DataType.FLOAT);
    INDArray sr = crop(texture(24, 7), 0, 0, 24, DataType.FLOAT);
    assertEquals(a.compute(sr, hr, 5).value(), b.compute(sr, hr, 5).value(), 0);
    assertNotEquals(a.compute(sr, hr, 5).value(), a.compute(sr, hr, 6).value());
  }

  @Test
  void patchesFollowTensorFlowSamePadding() {
    // 5 x 5 image, 2 x 2 patches, stride 2: a 3 x 3 grid, padding 1 in total per axis, all of it after
    RgbPatches grid = new RgbPatches(2, 2, 5, 5);
    assertEquals(9, grid.positions());
    INDArray img = Nd4j.arange(25).castTo(DataType.DOUBLE).reshape(1, 5, 5);
    INDArray p = grid.extract(img, new int[] {0, 4, 8}, 2);
    assertEquals(Nd4j.createFromArray(new double[][] {{0, 2, 10, 12}, {24, 26, 34, 36}, {48, 0, 0, 0}}), p);
    double[] back = new double[25];
    grid.scatterAdd(Nd4j.ones(DataType.DOUBLE, 3, 4), new int[] {0, 4, 8}, 2, back);
    assertEquals(2, back[0], 0);
    assertEquals(2, back[13], 0);
    assertEquals(2, back[24], 0);
    assertEquals(0, back[2], 0);
    assertEquals((4 + 4 + 1) * 2, Arrays.stream(back).sum(), 0, "what falls on padding is dropped");
  }

  @TempDir Path dir;

  @Test
  void sectionsBuildThroughTheRegistry() throws Exception {
    Path yml = dir.resolve("c.yml");
    Files.writeString(yml, """
        name: cobi
        scale: 4
        datasets:
          train: {dataroot_gt: T91, gt_size: 32, batch_size_per_gpu: 2}
          val: {dataroot_gt: Set5}
        network_g: {type: srresnet, scale: 4, num_feat: 8, num_block: 1}
        train:
          total_iter: 1
          pixel_opt: {type: L1Loss, loss_weight: 0.1}
          cobi_opt: {type: CoBiLoss, random_weights: true, max_sampling_1d_size: 20, band_width: 0.4}
          cx_opt: {type: ContextualLoss, layer_weights: {}, patch_size: 5}
        """);
    TrainConfig cfg = ConfigLoader.load(yml, List.of());
    Map<String, LossTermConfig> sections = cfg.train().losses();
    ContextualLoss.Config cobi = (ContextualLoss.Config) sections.get("cobi_opt");
    assertEquals(0.1, cobi.wSpatial(), 0);
    assertEquals(0.4, cobi.bandWidth(), 0);
    assertEquals(DEFAULT_LAYERS, cobi.layerWeights());
    assertEquals(2.0, cobi.rgbWeight(), 0);
    ContextualLoss.Config cx = (ContextualLoss.Config) sections.get("cx_opt");
    assertEquals(0, cx.wSpatial(), 0);
    assertEquals(5, cx.patchSize());
    List<LossTerm> terms = LossTerms.build(sections, new LossTerms.Context(cfg, null));
    assertEquals(List.of("pix", "cobi", "cx"), terms.stream().map(LossTerm::name).toList());
    assertTrue(((ContextualLoss) terms.get(1)).network() != null);
    assertEquals(null, ((ContextualLoss) terms.get(2)).network());
    INDArray hr = crop(texture(32, 9), 0, 0, 32, DataType.FLOAT);
    assertTrue(Double.isFinite(terms.get(1).compute(hr.add(0.01), hr, 0).value()));
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(yml, List.of("train.cobi_opt.weights=" + dir.resolve("none.pth"))));
    assertTrue(e.getMessage().contains("train.cobi_opt.random_weights: true is not allowed, expected false when weights "
        + "are given"), e.getMessage());
  }
}
