package io.sr4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of {@code val.metrics}: calculate_psnr or calculate_ssim (border crop, Y or RGB), calculate_niqe
 * (no-reference, on Y; {@code crop_border} as for the others), calculate_psnr_shift (the best PSNR over integer shifts
 * of up to {@code max_shift} pixels), calculate_sharpness (high-frequency energy of SR over HR) or calculate_lpips
 * (LPIPS v0.1 on RGB, {@code net} vgg or alex, weights from the zoo). {@code better} says which direction is an
 * improvement (BasicSR's key): higher unless given, lower for NIQE and LPIPS.
 */
public record MetricConfig(
    String type, Integer cropBorder, @JsonProperty("test_y_channel") Boolean testYChannel, String better,
    Integer maxShift, String net) {
  public static final String PSNR = "calculate_psnr";
  public static final String SSIM = "calculate_ssim";
  public static final String NIQE = "calculate_niqe";
  public static final String PSNR_SHIFT = "calculate_psnr_shift";
  public static final String SHARPNESS = "calculate_sharpness";
  public static final String LPIPS = "calculate_lpips";

  public MetricConfig {
    type = Check.oneOf("type", type, null, List.of(PSNR, SSIM, NIQE, PSNR_SHIFT, SHARPNESS, LPIPS));
    net = Check.oneOf("net", net, "vgg", List.of("vgg", "alex"));
    maxShift = Check.intInRange("max_shift", maxShift, 0, 64, 4);
    if (cropBorder != null) {
      Check.intAtLeast("crop_border", cropBorder, 0, 0);
    }
    testYChannel = testYChannel == null || testYChannel;
    better = Check.oneOf("better", better, type.equals(NIQE) || type.equals(LPIPS) ? "lower" : "higher",
        List.of("higher", "lower"));
  }

  /** The zoo entries an LPIPS metric reads (feature network, linear layers); none for the others. */
  public List<String> zooWeights() {
    return !type.equals(LPIPS) ? List.of() : net.equals("alex") ? List.of("zoo:alexnet", "zoo:lpips-alex")
        : List.of("zoo:vgg16", "zoo:lpips-vgg");
  }

  public boolean higherIsBetter() {
    return better.equals("higher");
  }
}
