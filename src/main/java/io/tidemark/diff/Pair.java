package io.tidemark.diff;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import java.util.Objects;

/** A desired object and the live object of the same key; either side may be missing. */
public record Pair(ObjectKey key, DesiredObject desired, LiveObject live) {

  public Pair {
    Objects.requireNonNull(key, "key");
    if (desired == null && live == null) {
      throw new IllegalArgumentException("a pair needs at least one side: " + key);
    }
  }
}
