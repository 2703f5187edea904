package io.sr4j.data.metrics;

/** Full-reference fidelity of one image: PSNR in dB and mean SSIM. */
public record QualityScore(double psnr, double ssim) {}
