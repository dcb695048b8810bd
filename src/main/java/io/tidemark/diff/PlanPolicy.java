package io.tidemark.diff;

import java.util.List;

/**
 * What a target allows its plan: whether unowned objects that Git declares are adopted, and which
 * fields are ignored.
 */
public record PlanPolicy(boolean adopt, List<IgnoreRule> ignore) {

  public PlanPolicy {
    ignore = List.copyOf(ignore);
  }

  /** No adoption, no ignore rules: what a target without either setting gets. */
  public static PlanPolicy standard() {
    return new PlanPolicy(false, List.of());
  }
}
