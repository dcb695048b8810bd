package io.tidemark.model;

import java.util.List;

/**
 * What a target read from its cluster: every object it owns, and every unowned object whose key a
 * desired object also has (so that the conflict can be reported).
 */
public record LiveState(List<LiveObject> objects) {

  public LiveState {
    objects = List.copyOf(objects);
  }
}
