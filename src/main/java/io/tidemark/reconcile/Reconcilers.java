package io.tidemark.reconcile;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tidemark.cluster.Target;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.config.TidemarkConfig.TargetConfig;
import io.tidemark.lease.Leadership;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.Notifier;
import io.tidemark.report.ReconcileMetrics;
import io.tidemark.report.ReportStore;
import io.tidemark.report.RunListener;
import io.tidemark.source.RevisionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * Owns every target's reconcile loop: builds them from configuration at start, polls each on its
 * interval, starts runs on demand (API, webhooks) and stops them at shutdown. With several
 * replicas, only the leader ({@link Leadership}) polls and runs reconciles; a webhook or sync
 * request that reaches another replica starts nothing there (the leader sees the new commit at its
 * next poll), while every replica serves the read API.
 */
@ApplicationScoped
public class Reconcilers implements PushListener {

  private static final Logger LOG = Logger.getLogger(Reconcilers.class);

  private final TidemarkConfig config;
  private final TargetFactory factory;
  private final ObservedSource source;
  private final List<RunListener> listeners;
  private final ReconcileMetrics metrics;
  private final Leadership leadership;
  private final Map<String, TargetRunner> runners = new LinkedHashMap<>();
  private final Map<String, Target> targets = new LinkedHashMap<>();
  private final Map<String, String> broken = new LinkedHashMap<>();
  private ScheduledExecutorService timer;

  public Reconcilers(
      TidemarkConfig config,
      TargetFactory factory,
      SourceFactory sources,
      ReportStore store,
      ReconcileMetrics metrics,
      Notifier notifier,
      Leadership leadership) {
    this.config = config;
    this.factory = factory;
    this.source =
        sources.create(config).map(s -> new ObservedSource(s, Clock.systemUTC())).orElse(null);
    this.metrics = metrics;
    this.listeners = List.of(store, metrics, notifier);
    notifier.channels().forEach(c -> LOG.infof("notifications: %s", c));
    this.leadership = leadership;
  }

  void start(@Observes StartupEvent event) {
    if (source == null && !config.targets().isEmpty()) {
      LOG.warn("tidemark.git.url is not set: no target will reconcile");
    }
    config.targets().forEach(this::add);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tidemark-poll");
              t.setDaemon(true);
              return t;
            });
    leadership.start(new LeaderPolling(runners::values, timer));
  }

  /** Whether this replica leads, and so runs reconciles; always true without leader election. */
  public boolean leading() {
    return leadership.leading();
  }

  private void add(String name, TargetConfig target) {
    metrics.register(
        name,
        target.mode() == Mode.SUSPEND
            ? Duration.ZERO
            : target.pollInterval().orElse(config.git().pollInterval()));
    if (source == null) {
      broken.put(name, "tidemark.git.url is not set");
      return;
    }
    try {
      Target built = factory.create(name, target);
      targets.put(name, built);
      TargetSettings settings = settings(name, target);
      RunListener fanOut = fanOut();
      runners.put(
          name,
          new TargetRunner(
              new TargetReconciler(
                  settings,
                  built,
                  source,
                  fanOut,
                  Clock.systemUTC(),
                  Optional.of(
                      new RevisionStore(
                          config.dataDir().resolve("targets").resolve(name + ".last-good"),
                          source.ref())))));
      LOG.infof(
          "target %s: %s, folder %s, mode %s, polling every %s",
          name, target.kind(), settings.path(), settings.mode(), settings.pollInterval());
    } catch (RuntimeException e) {
      LOG.errorf("target %s cannot start: %s", name, e.getMessage());
      broken.put(name, e.getMessage());
    }
  }

  private TargetSettings settings(String name, TargetConfig target) {
    Mode mode = target.mode();
    return new TargetSettings(
        name,
        target.kind().name().toLowerCase(java.util.Locale.ROOT),
        target.path(),
        mode,
        target.prune().orElse(mode == Mode.APPLY),
        target.pollInterval().orElse(config.git().pollInterval()),
        target.healthTimeout(),
        new SyncWindows(
            target.windows().stream()
                .map(
                    w ->
                        new SyncWindows.Window(
                            SyncWindows.Kind.valueOf(w.kind().name()),
                            w.schedule(),
                            w.duration(),
                            w.timeZone()))
                .toList()));
  }

  private RunListener fanOut() {
    return new RunListener() {
      @Override
      public void fetched(Duration took, boolean ok) {
        listeners.forEach(l -> l.fetched(took, ok));
      }

      @Override
      public void completed(DriftReport report) {
        listeners.forEach(l -> l.completed(report));
      }
    };
  }

  void stop(@Observes ShutdownEvent event) {
    // Give the lease up first, so that another replica takes over without waiting it out.
    leadership.close();
    if (timer != null) {
      timer.shutdownNow();
    }
    // Every run in flight ends at its next step and is recorded as interrupted; a step that
    // outlives the shutdown timeout is recorded as interrupted without waiting for it.
    java.time.Instant deadline = java.time.Instant.now().plus(config.shutdownTimeout());
    runners.values().forEach(TargetRunner::stop);
    runners.values().forEach(r -> r.awaitStopped(deadline));
    if (source != null && source.delegate() instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debugf("closing the Git source: %s", e.getMessage());
      }
    }
  }

  @Override
  public List<String> pushed(String ref, Trigger trigger) {
    if (source == null || !source.tracks(ref)) {
      return List.of();
    }
    boolean leading = leadership.leading();
    List<String> triggered = new ArrayList<>();
    runners.forEach(
        (name, runner) -> {
          if (runner.settings().mode() != Mode.SUSPEND) {
            if (leading) {
              runner.request(trigger);
            }
            triggered.add(name);
          }
        });
    if (!leading) {
      LOG.debugf("push of %s not run here: this replica is not the leader", ref);
    }
    return triggered;
  }

  public Collection<TargetRunner> runners() {
    return runners.values();
  }

  public Optional<TargetRunner> runner(String name) {
    return Optional.ofNullable(runners.get(name));
  }

  public Optional<Target> target(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  /** Targets that are configured but could not start, with the reason. */
  public Map<String, String> broken() {
    return Map.copyOf(broken);
  }

  public Optional<ObservedSource> source() {
    return Optional.ofNullable(source);
  }
}
