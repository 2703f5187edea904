package io.sr4j.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code datasets}: the training set and one or more validation sets ({@code val} may be a mapping or a list). */
public record DatasetsConfig(
    DatasetConfig train,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<DatasetConfig> val) {
  public DatasetsConfig {
    Check.required("train", train);
    val = val == null ? List.of() : List.copyOf(val);
  }
}
