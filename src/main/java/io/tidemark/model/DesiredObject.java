package io.tidemark.model;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One object as Git wants it: its key, the rendered spec as a JSON-like tree (maps, lists, strings,
 * numbers, booleans), where it was declared, whether its content is secret and must be masked, and
 * the values decrypted from SOPS files that it may hold (masked wherever they show in a diff).
 */
public record DesiredObject(
    ObjectKey key,
    Map<String, Object> spec,
    SourceLocation source,
    boolean secret,
    Set<String> maskedValues) {

  public DesiredObject {
    Objects.requireNonNull(key, "key");
    spec = Trees.freeze(Objects.requireNonNull(spec, "spec"));
    Objects.requireNonNull(source, "source");
    maskedValues = Set.copyOf(maskedValues);
  }

  public DesiredObject(
      ObjectKey key, Map<String, Object> spec, SourceLocation source, boolean secret) {
    this(key, spec, source, secret, Set.of());
  }

  /** Never the spec or the masked values: a record's default would print decrypted values. */
  @Override
  public String toString() {
    return "DesiredObject[" + key + " at " + source + (secret ? ", secret" : "") + "]";
  }
}
