package io.tidemark.model;

import io.tidemark.model.ObjectHealth.HealthStatus;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A target's health at a glance, the second dimension next to its sync status: the worst status of
 * its objects, a one-line summary naming the unhealthy ones ({@code web: 0 of 3 tasks running}),
 * and how many objects are in each status.
 */
public record TargetHealth(HealthStatus status, String summary, Map<HealthStatus, Integer> counts) {

  /** How many unhealthy objects the summary names before it says "and N more". */
  private static final int NAMED = 3;

  public TargetHealth {
    Objects.requireNonNull(status, "status");
    summary = summary == null ? "" : summary;
    counts = counts == null ? Map.of() : Map.copyOf(counts);
  }

  /** Health not observed: the run ended before it read the cluster. */
  public static TargetHealth unknown(String why) {
    return new TargetHealth(HealthStatus.UNKNOWN, why, Map.of());
  }

  /** The health of a target whose objects have {@code health}. Pure. */
  public static TargetHealth of(List<ObjectHealth> health) {
    Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
    health.forEach(h -> counts.merge(h.status(), 1, Integer::sum));
    if (health.isEmpty()) {
      return new TargetHealth(HealthStatus.HEALTHY, "no object to watch", counts);
    }
    HealthStatus worst =
        health.stream().map(ObjectHealth::status).max(Comparator.naturalOrder()).orElseThrow();
    if (worst == HealthStatus.HEALTHY) {
      return new TargetHealth(worst, health.size() + " of " + health.size() + " healthy", counts);
    }
    List<ObjectHealth> unhealthy =
        health.stream()
            .filter(h -> h.status() != HealthStatus.HEALTHY)
            .sorted(
                Comparator.comparing(ObjectHealth::status)
                    .reversed()
                    .thenComparing(h -> h.key().toString()))
            .toList();
    StringBuilder text = new StringBuilder();
    for (ObjectHealth h : unhealthy.subList(0, Math.min(NAMED, unhealthy.size()))) {
      if (!text.isEmpty()) {
        text.append("; ");
      }
      text.append(h.key().name());
      if (h.status() != worst) {
        text.append(' ').append(h.status().tag());
      }
      text.append(": ").append(h.message().isEmpty() ? h.status().tag() : h.message());
    }
    if (unhealthy.size() > NAMED) {
      text.append("; and ").append(unhealthy.size() - NAMED).append(" more");
    }
    return new TargetHealth(worst, text.toString(), counts);
  }

  /** Whether a run observed it (false when it ended before it read the cluster). */
  public boolean observed() {
    return status != HealthStatus.UNKNOWN || !counts.isEmpty();
  }

  /** {@code degraded: web: 0 of 3 tasks running}, as the page and the CLI show it. */
  public String line() {
    return summary.isEmpty() ? status.tag() : status.tag() + ": " + summary;
  }
}
