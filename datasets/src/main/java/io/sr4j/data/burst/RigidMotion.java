package io.sr4j.data.burst;

/**
 * A global motion of a frame: rotation by {@code angleRad} about {@code (centreX, centreY)} followed by the
 * translation {@code (shiftX, shiftY)}, in LR pixels. The scene point at reference coordinates {@code p} appears
 * in the frame at {@code R (p - c) + c + t}.
 */
public record RigidMotion(double shiftX, double shiftY, double angleRad, double centreX, double centreY)
    implements Flow {

  public static RigidMotion translation(double shiftX, double shiftY) {
    return new RigidMotion(shiftX, shiftY, 0, 0, 0);
  }

  @Override
  public double dx(double x, double y) {
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    return cos * (x - centreX) - sin * (y - centreY) + centreX + shiftX - x;
  }

  @Override
  public double dy(double x, double y) {
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    return sin * (x - centreX) + cos * (y - centreY) + centreY + shiftY - y;
  }

  /** The reference coordinates whose scene point the frame shows at {@code (fx, fy)}: {@code [x, y]}. */
  public double[] toReference(double fx, double fy) {
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    double ux = fx - centreX - shiftX;
    double uy = fy - centreY - shiftY;
    return new double[] {cos * ux + sin * uy + centreX, -sin * ux + cos * uy + centreY};
  }
}
