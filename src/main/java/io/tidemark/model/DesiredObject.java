package io.tidemark.model;

import java.util.Map;
import java.util.Objects;

/**
 * One object as Git wants it: its key, the rendered spec as a JSON-like tree (maps, lists, strings,
 * numbers, booleans), where it was declared, and whether its content is secret and must be masked.
 */
public record DesiredObject(
    ObjectKey key, Map<String, Object> spec, SourceLocation source, boolean secret) {

  public DesiredObject {
    Objects.requireNonNull(key, "key");
    spec = Trees.freeze(Objects.requireNonNull(spec, "spec"));
    Objects.requireNonNull(source, "source");
  }
}
