package io.tidemark.model;

import java.util.Objects;

/**
 * One field that differs between desired and live: its path ({@code
 * TaskTemplate.ContainerSpec.Env}, {@code spec.replicas}) and both values, already masked when they
 * are secret. A value absent on one side is {@code null}.
 */
public record FieldDiff(String path, Object desired, Object live) {

  public FieldDiff {
    Objects.requireNonNull(path, "path");
  }
}
