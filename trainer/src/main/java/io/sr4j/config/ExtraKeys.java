package io.sr4j.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code @JsonAnySetter} map of a config record: keys matching {@link #pattern()} go there, any other
 * unknown key is an error ({@link ConfigLoader} checks keys before binding).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface ExtraKeys {
  /** Regular expression of the accepted extra keys. */
  String pattern();

  /** What such a key is, for error messages, e.g. "a loss section <name>_opt". */
  String meaning();
}
