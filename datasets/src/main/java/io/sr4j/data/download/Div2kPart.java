package io.sr4j.data.download;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The official DIV2K archives, by the short names users type ({@code train_hr}, {@code valid_lr_x4}, ...). */
public enum Div2kPart {
  TRAIN_HR("DIV2K_train_HR.zip"),
  VALID_HR("DIV2K_valid_HR.zip"),
  TRAIN_LR_X2("DIV2K_train_LR_bicubic_X2.zip"),
  TRAIN_LR_X3("DIV2K_train_LR_bicubic_X3.zip"),
  TRAIN_LR_X4("DIV2K_train_LR_bicubic_X4.zip"),
  VALID_LR_X2("DIV2K_valid_LR_bicubic_X2.zip"),
  VALID_LR_X3("DIV2K_valid_LR_bicubic_X3.zip"),
  VALID_LR_X4("DIV2K_valid_LR_bicubic_X4.zip");

  /** Short names of what is fetched when no parts are named: what x4 training and validation need. */
  public static final String DEFAULT_SHORT_NAMES = "train_hr,valid_hr,train_lr_x4,valid_lr_x4";

  private final String archiveName;

  Div2kPart(String archiveName) {
    this.archiveName = archiveName;
  }

  /**
   * File name of the archive on the DIV2K site. Its entries already carry the standard layout
   * ({@code DIV2K_train_HR/0001.png}, {@code DIV2K_train_LR_bicubic/X4/0001x4.png}).
   */
  public String archiveName() {
    return archiveName;
  }

  /** The short name: {@code train_hr}, {@code valid_lr_x4}, ... */
  public String shortName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** All short names, comma separated. */
  public static String shortNames() {
    return String.join(",", Arrays.stream(values()).map(Div2kPart::shortName).toList());
  }

  /** The parts of a comma-separated list of short names, without repeats, in the given order. */
  public static List<Div2kPart> parseList(String shortNames) {
    List<Div2kPart> parts = new ArrayList<>();
    for (String name : shortNames.split(",")) {
      Div2kPart p = parse(name);
      if (!parts.contains(p)) {
        parts.add(p);
      }
    }
    return List.copyOf(parts);
  }

  /** The part of a short name (any case); an unknown name fails listing the valid ones. */
  public static Div2kPart parse(String shortName) {
    for (Div2kPart p : values()) {
      if (p.shortName().equalsIgnoreCase(shortName.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown DIV2K part '" + shortName + "'; valid parts: " + shortNames());
  }
}
