package io.sr4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of {@code val.metrics}: calculate_psnr or calculate_ssim (border crop, Y or RGB), or calculate_niqe
 * (no-reference, on Y; {@code crop_border} as for the others). {@code better} says which direction is an improvement
 * (BasicSR's key): higher for PSNR and SSIM, lower for NIQE unless given.
 */
public record MetricConfig(
    String type, Integer cropBorder, @JsonProperty("test_y_channel") Boolean testYChannel, String better) {
  public static final String PSNR = "calculate_psnr";
  public static final String SSIM = "calculate_ssim";
  public static final String NIQE = "calculate_niqe";

  public MetricConfig {
    type = Check.oneOf("type", type, null, List.of(PSNR, SSIM, NIQE));
    if (cropBorder != null) {
      Check.intAtLeast("crop_border", cropBorder, 0, 0);
    }
    testYChannel = testYChannel == null || testYChannel;
    better = Check.oneOf("better", better, type.equals(NIQE) ? "lower" : "higher", List.of("higher", "lower"));
  }

  public boolean higherIsBetter() {
    return better.equals("higher");
  }
}
