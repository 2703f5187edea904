package io.sr4j.data.download;

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

  /** What {@code sr data download div2k} fetches without {@code --parts}: what x4 training and validation need. */
  public static final List<Div2kPart> DEFAULT = List.of(TRAIN_HR, VALID_HR, TRAIN_LR_X4, VALID_LR_X4);

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
