package io.tidemark.cluster.kubernetes;

import java.util.EnumMap;
import java.util.Map;

/** How many Kubernetes API requests a target sent, by verb, since its last snapshot began. */
public record ApiRequests(Map<ApiVerb, Long> byApiVerb) {

  public ApiRequests {
    byApiVerb = Map.copyOf(new EnumMap<>(byApiVerb));
  }

  public long total() {
    return byApiVerb.values().stream().mapToLong(Long::longValue).sum();
  }

  public long of(ApiVerb verb) {
    return byApiVerb.getOrDefault(verb, 0L);
  }

  @Override
  public String toString() {
    return total() + " " + new EnumMap<>(byApiVerb);
  }
}
