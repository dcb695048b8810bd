package io.tidemark.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One field that differs between desired and live: its path ({@code
 * TaskTemplate.ContainerSpec.Env}, {@code spec.replicas}) and both values, already masked when they
 * are secret. A value absent on one side is {@code null}. {@code changedBy} names who last wrote
 * the live value when the cluster records it (a Kubernetes field manager and its time, e.g. {@code
 * kubectl-set at 2026-11-25T20:39:32Z}), else null.
 */
public record FieldDiff(
    String path,
    Object desired,
    Object live,
    @JsonInclude(JsonInclude.Include.NON_NULL) String changedBy) {

  public FieldDiff {
    Objects.requireNonNull(path, "path");
    changedBy = changedBy == null || changedBy.isEmpty() ? null : changedBy;
  }

  /** A difference whose author the cluster does not record. */
  public FieldDiff(String path, Object desired, Object live) {
    this(path, desired, live, null);
  }

  /** The same difference, naming who changed the live value. */
  public FieldDiff withChangedBy(String author) {
    return new FieldDiff(path, desired, live, author);
  }
}
