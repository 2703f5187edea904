package io.sr4j.arch;

/** What every SR generator tells the code that feeds it. */
public interface GeneratorOptions {
  /** SR factor of the whole model (for pre-upsampling networks, the factor of the bicubic step before them). */
  int upscale();

  /** True for networks that run on the bicubic-upscaled image (SRCNN); false for networks that upscale themselves. */
  boolean preUpsampled();

  /** Colour planes the network takes and returns: 1 (BT.601 Y) or 3 (RGB). */
  int colourChannels();
}
