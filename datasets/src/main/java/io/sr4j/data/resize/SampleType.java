package io.sr4j.data.resize;

/**
 * What MATLAB's {@code imresize} does with values between and after its 1-D passes: integer classes round and
 * saturate after every pass, floating-point input stays unrounded.
 */
public enum SampleType {
  /** uint8 input: round half away from zero and saturate to [0,255] after each pass. */
  UINT8(255),
  /** uint16 input: round and saturate to [0,65535] after each pass. */
  UINT16(65535),
  /** double input: no rounding, no clamping. */
  FLOAT(0);

  /** Largest code value; 0 for {@link #FLOAT}. */
  final int maxCode;

  SampleType(int maxCode) {
    this.maxCode = maxCode;
  }

  /** The integer class an image of this bit depth has in MATLAB. */
  public static SampleType forBitDepth(int bitDepth) {
    return bitDepth == 16 ? UINT16 : UINT8;
  }
}
