package io.tidemark.reconcile;

import io.tidemark.diff.PlanPolicy;
import io.tidemark.diff.ValueMask;
import io.tidemark.model.Mode;
import java.time.Duration;
import java.util.Objects;

/**
 * What one target's reconcile loop needs to know: its folder, mode, prune policy, timings, sync
 * windows, and its plan policy (adoption, ignore rules).
 */
public record TargetSettings(
    String name,
    String kind,
    String path,
    Mode mode,
    boolean prune,
    Duration pollInterval,
    Duration healthTimeout,
    SyncWindows windows,
    PlanPolicy policy,
    ValueMask mask) {

  /** Settings without adoption or ignore rules, with the default masked names. */
  public TargetSettings(
      String name,
      String kind,
      String path,
      Mode mode,
      boolean prune,
      Duration pollInterval,
      Duration healthTimeout,
      SyncWindows windows) {
    this(
        name, kind, path, mode, prune, pollInterval, healthTimeout, windows, PlanPolicy.standard());
  }

  /** Settings with the default masked names. */
  public TargetSettings(
      String name,
      String kind,
      String path,
      Mode mode,
      boolean prune,
      Duration pollInterval,
      Duration healthTimeout,
      SyncWindows windows,
      PlanPolicy policy) {
    this(
        name,
        kind,
        path,
        mode,
        prune,
        pollInterval,
        healthTimeout,
        windows,
        policy,
        ValueMask.defaults());
  }

  /** Settings without adoption or ignore rules. */
  public TargetSettings(
      String name,
      String kind,
      String path,
      Mode mode,
      boolean prune,
      Duration pollInterval,
      Duration healthTimeout,
      SyncWindows windows,
      ValueMask mask) {
    this(
        name,
        kind,
        path,
        mode,
        prune,
        pollInterval,
        healthTimeout,
        windows,
        PlanPolicy.standard(),
        mask);
  }

  /** Settings without sync windows: applies may run at any time. */
  public TargetSettings(
      String name,
      String kind,
      String path,
      Mode mode,
      boolean prune,
      Duration pollInterval,
      Duration healthTimeout) {
    this(name, kind, path, mode, prune, pollInterval, healthTimeout, SyncWindows.none());
  }

  public TargetSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(healthTimeout, "healthTimeout");
    Objects.requireNonNull(windows, "windows");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(mask, "mask");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval of target " + name + " must be positive");
    }
  }
}
