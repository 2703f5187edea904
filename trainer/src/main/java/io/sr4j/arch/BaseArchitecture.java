package io.sr4j.arch;

/** What every architecture states the same way: its registered name, a one-line description, its options type. */
abstract class BaseArchitecture<O extends Record> implements Architecture<O> {
  private final String name;
  private final String description;
  private final Class<O> optionsType;

  BaseArchitecture(String name, String description, Class<O> optionsType) {
    this.name = name;
    this.description = description;
    this.optionsType = optionsType;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Class<O> optionsType() {
    return optionsType;
  }
}
