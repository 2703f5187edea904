package io.sr4j.data.pairs;

import io.sr4j.data.image.Image;

/** One LR/HR pair; {@code hr} is {@code scale} times the size of {@code lr}. */
public record PairedSample(String name, Image lr, Image hr) {}
