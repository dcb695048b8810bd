package io.tidemark.model;

import java.util.Objects;

/**
 * One path of an ignore rule that matched an object: the rule ({@code ignore[0]}), the path in the
 * report's syntax, and whether a difference there was hidden in this run.
 */
public record IgnoredPath(String rule, String path, boolean hidDrift) {

  public IgnoredPath {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String toString() {
    return path + " (" + rule + (hidDrift ? ", differs live" : "") + ")";
  }
}
