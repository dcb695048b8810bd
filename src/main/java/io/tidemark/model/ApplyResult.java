package io.tidemark.model;

import java.util.List;

/** The per-object outcomes of one apply, in the order they were applied. */
public record ApplyResult(List<ObjectResult> results) {

  public ApplyResult {
    results = List.copyOf(results);
  }

  public static ApplyResult none() {
    return new ApplyResult(List.of());
  }

  public boolean failed() {
    return results.stream().anyMatch(ObjectResult::failed);
  }

  public long failures() {
    return results.stream().filter(ObjectResult::failed).count();
  }
}
