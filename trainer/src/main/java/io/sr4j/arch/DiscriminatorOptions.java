package io.sr4j.arch;

/** What a discriminator tells the code that feeds it. */
public interface DiscriminatorOptions {
  /** Side in pixels of the square patches it takes (its dense layers fix it). */
  int patchSize();
}
