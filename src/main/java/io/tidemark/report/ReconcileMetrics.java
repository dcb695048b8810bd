package io.tidemark.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.ObjectHealth.HealthStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes reconciles as {@code tidemark_} metrics: runs and their duration by target and result,
 * objects still drifted (found and not repaired) by target and change type, the last successful
 * run, each target's poll interval (so alerts can say "no success for three intervals"), Git
 * fetches, apply errors, whether each target's cluster answered its last run ({@code
 * tidemark_target_up}) and each target's health as a state set ({@code tidemark_health} is 1 for
 * the target's current status and 0 for the others). Object names never become tags, so cardinality
 * stays bounded by targets.
 */
public final class ReconcileMetrics implements RunListener {

  private static final List<ChangeType> DRIFT =
      Arrays.stream(ChangeType.values()).filter(ChangeType::drift).toList();

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final Timer fetchTimer;
  private final Counter fetchErrors;

  public ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.fetchTimer =
        Timer.builder("tidemark.git.fetch.duration")
            .description("Duration of Git fetches")
            .publishPercentileHistogram()
            .register(registry);
    this.fetchErrors =
        Counter.builder("tidemark.git.fetch.errors")
            .description("Git fetches that failed")
            .register(registry);
  }

  /**
   * Makes a target's series exist from the start, at zero, and publishes how often it polls ({@code
   * Duration.ZERO} for a target that never polls, such as a suspended one).
   */
  public void register(String target, Duration pollInterval) {
    for (ChangeType type : DRIFT) {
      gauge("tidemark.drifted.objects", Tags.of("target", target, "change", type.tag()));
    }
    gauge("tidemark.last.success.timestamp.seconds", Tags.of("target", target));
    gauge("tidemark.poll.interval.seconds", Tags.of("target", target))
        .set(pollInterval.toSeconds());
    Counter.builder("tidemark.apply.errors").tags("target", target).register(registry);
    health(target, HealthStatus.UNKNOWN);
  }

  /** One series per status, 1 for the current one: alerts match {@code status="degraded"}. */
  private void health(String target, HealthStatus current) {
    for (HealthStatus status : HealthStatus.values()) {
      gauge("tidemark.health", Tags.of("target", target, "status", status.tag()))
          .set(status == current ? 1 : 0);
    }
  }

  @Override
  public void fetched(Duration took, boolean ok) {
    fetchTimer.record(took);
    if (!ok) {
      fetchErrors.increment();
    }
  }

  @Override
  public void completed(DriftReport report) {
    String target = report.target();
    Tags byResult = Tags.of("target", target, "result", report.result().tag());
    Counter.builder("tidemark.reconcile")
        .description("Reconciles run")
        .tags(byResult)
        .register(registry)
        .increment();
    Timer.builder("tidemark.reconcile.duration")
        .description("Duration of reconciles")
        .tags(byResult)
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(report.durationMillis()));
    Reachability reach = Reachability.of(report);
    if (reach != Reachability.UNKNOWN) {
      gauge("tidemark.target.up", Tags.of("target", target))
          .set(reach == Reachability.REACHABLE ? 1 : 0);
    }
    health(target, report.health().status());
    if (report.result() == RunResult.INVALID_REVISION
        || report.result() == RunResult.SOURCE_FAILED
        || report.result() == RunResult.TARGET_UNREACHABLE) {
      return; // the cluster was not compared: the drift gauges keep their last known values
    }
    // Drift that this run repaired is gone: the gauge counts what is still different from Git.
    Map<ChangeType, Long> remaining = new EnumMap<>(ChangeType.class);
    for (ObjectReport object : report.objects()) {
      boolean repaired =
          object.outcome() != null
              && object.outcome() != ApplyOutcome.FAILED
              && object.outcome() != ApplyOutcome.SKIPPED;
      if (object.change().drift() && !repaired) {
        remaining.merge(object.change(), 1L, Long::sum);
      }
    }
    for (ChangeType type : DRIFT) {
      gauge("tidemark.drifted.objects", Tags.of("target", target, "change", type.tag()))
          .set(remaining.getOrDefault(type, 0L));
    }
    long failures =
        report.objects().stream().filter(o -> o.outcome() == ApplyOutcome.FAILED).count();
    if (failures > 0) {
      Counter.builder("tidemark.apply.errors")
          .tags("target", target)
          .register(registry)
          .increment(failures);
    }
    if (report.result().successful()) {
      long finished = report.startedAt().toEpochMilli() + report.durationMillis();
      gauge("tidemark.last.success.timestamp.seconds", Tags.of("target", target))
          .set(finished / 1000);
    }
  }

  private AtomicLong gauge(String name, Tags tags) {
    String key = name + tags;
    return gauges.computeIfAbsent(
        key, k -> registry.gauge(name, tags, new AtomicLong(), AtomicLong::doubleValue));
  }
}
