package io.tidemark.model;

import java.util.Objects;

/**
 * Where in the repository a desired object or an error comes from: a file relative to the repo root
 * and a 1-based line (0 when unknown).
 */
public record SourceLocation(String file, int line) {

  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0");
    }
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}
