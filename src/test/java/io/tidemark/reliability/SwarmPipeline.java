package io.tidemark.reliability;

import io.tidemark.cluster.TargetException;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.TargetReconciler;
import io.tidemark.reconcile.TargetSettings;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ObjectReport;
import io.tidemark.report.RunListener;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.JGitSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service's pipeline without the service around it, as {@code SwarmPipelineTest} builds it: a
 * {@link JGitSource} on a data directory, a {@link SwarmTarget} on the real swarm, and one {@link
 * TargetReconciler} that keeps its last good revision across runs, as the running service does.
 */
final class SwarmPipeline implements AutoCloseable {

  static final String TARGET = "rel";

  final DockerApi api;
  final String stack;
  private final String url;
  private final Path data;
  private final Mode mode;
  private Duration healthTimeout;
  private Duration convergeTimeout;
  private JGitSource source;
  private TargetReconciler reconciler;

  SwarmPipeline(String url, Path data, String stack, Mode mode, Duration healthTimeout)
      throws TargetException {
    this(url, data, stack, mode, healthTimeout, healthTimeout);
  }

  /**
   * @param healthTimeout how long a run waits for the objects it wrote
   * @param convergeTimeout how long an apply waits for written services before it prunes
   */
  SwarmPipeline(
      String url,
      Path data,
      String stack,
      Mode mode,
      Duration healthTimeout,
      Duration convergeTimeout)
      throws TargetException {
    this.api = TestSwarm.connect();
    this.convergeTimeout = convergeTimeout;
    this.url = url;
    this.data = data;
    this.stack = stack;
    this.mode = mode;
    this.healthTimeout = healthTimeout;
    TestSwarm.removeAll(api, stack + "_");
    restart();
  }

  /** A new source and reconciler on the same data directory, as after a service restart. */
  void restart() {
    if (source != null) {
      source.close();
    }
    source = new JGitSource(GitSettings.of(url, FollowedRef.branch("main"), data));
    TargetSettings settings =
        new TargetSettings(
            TARGET, "swarm", "swarm", mode, true, Duration.ofHours(1), healthTimeout);
    SwarmTarget target =
        new SwarmTarget(
            TARGET,
            stack,
            api,
            new SwarmStackLoader(TARGET, stack, Map.of()),
            new SwarmDiffer(),
            convergeTimeout);
    reconciler =
        new TargetReconciler(settings, target, source, new RunListener() {}, Clock.systemUTC());
  }

  /** Rebuilds the reconciler with other waits (the source and its data stay). */
  void timeouts(Duration health, Duration converge) {
    this.healthTimeout = health;
    this.convergeTimeout = converge;
    restart();
  }

  DriftReport reconcile() {
    return reconciler.reconcile(Trigger.cli());
  }

  JGitSource source() {
    return source;
  }

  /** Version.Index of every service of the stack, by name: it moves on every write. */
  /**
   * The Version.Index of every service of the stack once the engine stopped changing them: right
   * after a create the engine still updates a service itself (its allocator fills the endpoint),
   * which is no write of Tidemark's.
   */
  Map<String, String> versions() throws TargetException {
    java.util.concurrent.atomic.AtomicReference<Map<String, String>> last =
        new java.util.concurrent.atomic.AtomicReference<>(readVersions());
    return org.awaitility.Awaitility.await("the engine's own updates of the services settle")
        .atMost(java.time.Duration.ofSeconds(30))
        .pollDelay(java.time.Duration.ofMillis(500))
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(
            () -> {
              Map<String, String> now = readVersions();
              return now.equals(last.getAndSet(now)) ? now : null;
            },
            java.util.Objects::nonNull);
  }

  private Map<String, String> readVersions() throws TargetException {
    Map<String, String> out = new TreeMap<>();
    for (Map<String, Object> service : api.getArray("/services")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) service.get("Spec");
      String name = String.valueOf(spec.get("Name"));
      if (name.startsWith(stack + "_")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> version = (Map<String, Object>) service.get("Version");
        out.put(name, String.valueOf(version.get("Index")));
      }
    }
    return out;
  }

  static ObjectReport object(DriftReport report, String name) {
    return report.objects().stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the report: " + report));
  }

  @Override
  public void close() throws Exception {
    try {
      TestSwarm.removeAll(api, stack + "_");
    } finally {
      source.close();
      api.close();
    }
  }
}
