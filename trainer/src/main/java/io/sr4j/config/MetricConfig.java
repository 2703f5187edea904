package io.sr4j.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of {@code val.metrics}: calculate_psnr or calculate_ssim (border crop, Y or RGB), or calculate_niqe
 * (no-reference, on Y, lower is better; {@code crop_border} as for the others).
 */
public record MetricConfig(
    String type, Integer cropBorder, @JsonProperty("test_y_channel") Boolean testYChannel) {
  public static final String PSNR = "calculate_psnr";
  public static final String SSIM = "calculate_ssim";
  public static final String NIQE = "calculate_niqe";

  public MetricConfig {
    type = Check.oneOf("type", type, null, List.of(PSNR, SSIM, NIQE));
    if (cropBorder != null) {
      Check.intAtLeast("crop_border", cropBorder, 0, 0);
    }
    testYChannel = testYChannel == null || testYChannel;
  }
}
