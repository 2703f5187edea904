package io.sr4j.data.burst;

/**
 * Where the scene point seen at reference-frame pixel coordinates {@code (x, y)} appears in another frame:
 * at {@code (x + dx(x, y), y + dy(x, y))}. Coordinates are LR pixels of the frames, pixel centres at integers.
 */
public interface Flow {
  /** No motion (the reference frame itself). */
  Flow ZERO = RigidMotion.translation(0, 0);

  double dx(double x, double y);

  double dy(double x, double y);
}
