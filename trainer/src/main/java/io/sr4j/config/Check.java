package io.sr4j.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Defaults and range checks for config records; every failure is an {@link InvalidValue} naming the key. */
public final class Check {
  private Check() {}

  public static <T> T required(String key, T value) {
    if (value == null) {
      throw new InvalidValue(key, "(missing)", "a value");
    }
    return value;
  }

  public static int intAtLeast(String key, Integer value, int min, int fallback) {
    int v = value == null ? fallback : value;
    if (v < min) {
      throw new InvalidValue(key, v, "an integer >= " + min);
    }
    return v;
  }

  public static int intInRange(String key, Integer value, int min, int max, int fallback) {
    int v = value == null ? fallback : value;
    if (v < min || v > max) {
      throw new InvalidValue(key, v, "an integer in [" + min + ", " + max + "]");
    }
    return v;
  }

  public static long longAtLeast(String key, Long value, long min, long fallback) {
    long v = value == null ? fallback : value;
    if (v < min) {
      throw new InvalidValue(key, v, "an integer >= " + min);
    }
    return v;
  }

  public static double positive(String key, Double value, double fallback) {
    double v = value == null ? fallback : value;
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new InvalidValue(key, v, "a number > 0");
    }
    return v;
  }

  public static double nonNegative(String key, Double value, double fallback) {
    double v = value == null ? fallback : value;
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new InvalidValue(key, v, "a number >= 0");
    }
    return v;
  }

  public static double inRange(String key, Double value, double lo, double hi, double fallback) {
    double v = value == null ? fallback : value;
    if (!(v >= lo && v <= hi)) {
      throw new InvalidValue(key, v, "a number in [" + lo + ", " + hi + "]");
    }
    return v;
  }

  public static int oneOfInts(String key, Integer value, int fallback, int... allowed) {
    int v = value == null ? fallback : value;
    for (int a : allowed) {
      if (a == v) {
        return v;
      }
    }
    throw new InvalidValue(key, v, "one of " + Arrays.toString(allowed));
  }

  /** {@code value} (case-insensitively) among {@code allowed}, returned in its canonical spelling. */
  public static String oneOf(String key, String value, String fallback, List<String> allowed) {
    String v = value == null ? fallback : value;
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw new InvalidValue(key, v == null ? "(missing)" : "'" + v + "'", "one of " + allowed);
  }

  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
