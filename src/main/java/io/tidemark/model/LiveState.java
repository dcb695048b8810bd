package io.tidemark.model;

import java.util.List;

/**
 * What a target read from its cluster: every object it owns, every unowned object whose key a
 * desired object also has (so that the conflict can be reported), and the health of the owned
 * objects that have one (Swarm services, Kubernetes workloads), judged from the same read.
 */
public record LiveState(List<LiveObject> objects, List<ObjectHealth> health) {

  public LiveState {
    objects = List.copyOf(objects);
    health = List.copyOf(health);
  }

  /** A snapshot whose health was not observed. */
  public LiveState(List<LiveObject> objects) {
    this(objects, List.of());
  }
}
