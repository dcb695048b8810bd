package io.tidemark.reconcile;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tidemark.cluster.Target;
import io.tidemark.concurrent.Workers;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.config.TidemarkConfig.TargetConfig;
import io.tidemark.diff.IgnoreRule;
import io.tidemark.diff.PlanPolicy;
import io.tidemark.diff.ValueMask;
import io.tidemark.lease.ShardLeases;
import io.tidemark.lease.ShardMap;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * Owns every target's reconcile loop and every repository's fetches: builds them from configuration
 * at start, fetches each repository on its interval (one fetch for all its targets), checks each
 * target for drift on its own interval, starts runs on demand (API, webhooks) and stops them at
 * shutdown. Runs take turns on one bounded pool ({@code tidemark.workers}). With several replicas,
 * targets are spread over shards ({@link ShardMap}) and a replica runs only the targets of the
 * shards it holds ({@link ShardLeases}); a push fetches the repository only on replicas that hold
 * some of its targets (the webhook receiver relays it to them), and every replica serves the read
 * API.
 */
@ApplicationScoped
public class Reconcilers implements PushListener {

  private static final Logger LOG = Logger.getLogger(Reconcilers.class);

  /** The name of the repository {@code tidemark.git.*} describes. */
  public static final String DEFAULT_REPO = "default";

  private final TidemarkConfig config;
  private final TargetFactory factory;
  private final List<RunListener> listeners;
  private final ReconcileMetrics metrics;
  private final ShardLeases shards;
  private final ShardMap shardMap;
  private final RunPool pool;
  private final ExecutorService fetchers;
  private final Map<String, RepositoryFeed> feeds = new LinkedHashMap<>();
  private final Map<String, String> brokenRepos = new LinkedHashMap<>();
  private final Map<String, TargetRunner> runners = new LinkedHashMap<>();
  private final Map<String, RepositoryFeed> feedOf = new LinkedHashMap<>();
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
      ShardLeases shards) {
    this.config = config;
    this.factory = factory;
    this.metrics = metrics;
    this.listeners = List.of(store, metrics, notifier);
    notifier.channels().forEach(c -> LOG.infof("notifications: %s", c));
    this.shards = shards;
    this.shardMap = new ShardMap(shards.count());
    int workers = config.workers().orElse(Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.pool = new RunPool("tidemark-worker", Math.max(1, workers));
    sources
        .create(config)
        .ifPresent(s -> feeds.put(DEFAULT_REPO, feed(DEFAULT_REPO, s, config.git())));
    config
        .repos()
        .forEach(
            (name, git) -> {
              if (name.equals(DEFAULT_REPO)) {
                brokenRepos.put(name, "the name default is tidemark.git's; choose another");
                return;
              }
              try {
                sources
                    .create(
                        "tidemark.repos." + name,
                        git,
                        config.dataDir().resolve("repos").resolve(name))
                    .ifPresentOrElse(
                        s -> feeds.put(name, feed(name, s, git)),
                        () -> brokenRepos.put(name, "tidemark.repos." + name + ".url is not set"));
              } catch (RuntimeException e) {
                brokenRepos.put(name, e.getMessage());
              }
            });
    // Fetches wait on the network, not the CPU: one thread per repository at most, never per
    // target.
    this.fetchers = Workers.fixed("tidemark-fetch", Math.max(1, feeds.size()));
  }

  private RepositoryFeed feed(
      String name, io.tidemark.source.GitSource source, TidemarkConfig.Git git) {
    return new RepositoryFeed(
        name,
        new ObservedSource(source, Clock.systemUTC()),
        git.pollInterval(),
        task -> fetchers.execute(task),
        fetchListener(),
        Clock.systemUTC());
  }

  void start(@Observes StartupEvent event) {
    if (feeds.isEmpty() && !config.targets().isEmpty()) {
      LOG.warn("tidemark.git.url is not set: no target will reconcile");
    }
    brokenRepos.forEach((name, why) -> LOG.errorf("repository %s cannot start: %s", name, why));
    config.targets().forEach(this::add);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tidemark-poll");
              t.setDaemon(true);
              return t;
            });
    shards.start(
        new ShardPolling(
            shardMap, feeds::values, runners::values, timer, config.shutdownTimeout()));
  }

  /** Whether this replica holds the shard of {@code target}, and so runs its reconciles. */
  public boolean holds(String target) {
    return shards.held().contains(shardMap.shardOf(target));
  }

  /** The shard of {@code target} and who holds it, as this replica last saw the Leases. */
  public Optional<ShardLeases.Holder> holder(String target) {
    return shards.holder(shardMap.shardOf(target));
  }

  /** This replica's identity among the shards' holders. */
  public String identity() {
    return shards.identity();
  }

  private void add(String name, TargetConfig target) {
    String repo = target.repo().orElse(DEFAULT_REPO);
    RepositoryFeed feed = feeds.get(repo);
    Duration interval =
        target
            .pollInterval()
            .orElse(
                repo.equals(DEFAULT_REPO) || !config.repos().containsKey(repo)
                    ? config.git().pollInterval()
                    : config.repos().get(repo).pollInterval());
    metrics.register(name, target.mode() == Mode.SUSPEND ? Duration.ZERO : interval);
    if (feed == null) {
      String why =
          repo.equals(DEFAULT_REPO)
              ? "tidemark.git.url is not set"
              : brokenRepos.getOrDefault(repo, "no repository tidemark.repos." + repo);
      broken.put(name, why);
      return;
    }
    try {
      Target built = factory.create(name, target);
      targets.put(name, built);
      TargetSettings settings = settings(name, target, interval);
      TargetRunner runner =
          new TargetRunner(
              new TargetReconciler(
                  settings,
                  built,
                  feed.revisions(),
                  completedListener(),
                  Clock.systemUTC(),
                  Optional.of(
                      new RevisionStore(
                          config.dataDir().resolve("targets").resolve(name + ".last-good"),
                          feed.revisions().ref()))),
              pool);
      runner.handOver(); // runs start once this replica holds the target's shard
      runners.put(name, runner);
      feedOf.put(name, feed);
      feed.subscribe(runner);
      LOG.infof(
          "target %s: %s, repository %s, folder %s, mode %s, drift checked every %s",
          name, target.kind(), repo, settings.path(), settings.mode(), settings.pollInterval());
    } catch (RuntimeException e) {
      LOG.errorf("target %s cannot start: %s", name, e.getMessage());
      broken.put(name, e.getMessage());
    }
  }

  private TargetSettings settings(String name, TargetConfig target, Duration interval) {
    Mode mode = target.mode();
    return new TargetSettings(
        name,
        target.kind().name().toLowerCase(java.util.Locale.ROOT),
        target.path(),
        mode,
        target.prune().orElse(mode == Mode.APPLY),
        interval,
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
                .toList()),
        policy(name, target),
        new ValueMask(config.mask().names()));
  }

  /** Adoption and ignore rules; a rule that does not parse stops the target with its key. */
  static PlanPolicy policy(String name, TargetConfig target) {
    List<IgnoreRule> rules = new ArrayList<>();
    for (int i = 0; i < target.ignore().size(); i++) {
      TidemarkConfig.IgnoreRule rule = target.ignore().get(i);
      String id = "tidemark.targets." + name + ".ignore[" + i + "]";
      rules.add(IgnoreRule.of(id, rule.kind().orElse(""), rule.name(), rule.paths()));
    }
    return new PlanPolicy(target.adopt(), rules);
  }

  /** Runs report their end; fetches are the repositories' to report, once each. */
  private RunListener completedListener() {
    return new RunListener() {
      @Override
      public void completed(DriftReport report) {
        listeners.forEach(l -> l.completed(report));
      }
    };
  }

  private RunListener fetchListener() {
    return new RunListener() {
      @Override
      public void fetched(Duration took, boolean ok) {
        listeners.forEach(l -> l.fetched(took, ok));
      }
    };
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
    // Every run in flight ends at its next step and is recorded as interrupted; a step that
    // outlives the shutdown timeout is recorded as interrupted without waiting for it.
    java.time.Instant deadline = java.time.Instant.now().plus(config.shutdownTimeout());
    runners.values().forEach(TargetRunner::stop);
    runners.values().forEach(r -> r.awaitStopped(deadline));
    runners.values().forEach(TargetRunner::close);
    // The runs ended: give the shards up, so that other replicas take over without waiting out
    // the lease duration and never overlap a run of ours.
    shards.close();
    fetchers.shutdownNow();
    pool.shutdownNow();
    for (RepositoryFeed feed : feeds.values()) {
      if (feed.source().delegate() instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.debugf("closing the Git source of %s: %s", feed.name(), e.getMessage());
        }
      }
    }
  }

  @Override
  public List<String> pushed(String ref, Trigger trigger) {
    return pushed(List.of(), ref, trigger);
  }

  /**
   * A push of {@code ref} to the repository named by {@code urls} (any repository when empty):
   * fetches each matching repository once, soon (a burst of deliveries costs one fetch), and the
   * targets whose files the push changed run. Returns the targets fed by those repositories.
   */
  @Override
  public List<String> pushed(List<String> urls, String ref, Trigger trigger) {
    List<String> fed = new ArrayList<>();
    for (RepositoryFeed feed : matching(urls, ref)) {
      // Only a replica that runs some of the repository's targets fetches it for the push; the
      // webhook receiver relays the delivery to the holders of the others (api.DeliveryRelay).
      if (feed.runners().stream().anyMatch(r -> holds(r.settings().name()))) {
        feed.refreshSoon(trigger);
      } else {
        LOG.debugf("push of %s not fetched here: this replica holds none of its targets", ref);
      }
      feed.runners().stream()
          .filter(runner -> runner.settings().mode() != Mode.SUSPEND)
          .forEach(runner -> fed.add(runner.settings().name()));
    }
    return fed;
  }

  @Override
  public boolean follows(List<String> urls, String ref) {
    return !matching(urls, ref).isEmpty();
  }

  private List<RepositoryFeed> matching(List<String> urls, String ref) {
    return feeds.values().stream()
        .filter(feed -> feed.source().tracks(ref))
        .filter(feed -> urls.isEmpty() || RepositoryUrls.sameRepository(feed.source().url(), urls))
        .toList();
  }

  /**
   * A reconcile of one target asked for through the API: its repository is fetched first (any other
   * target the new commit concerns runs too), then the target runs on the newest revision.
   */
  public CompletableFuture<DriftReport> syncNow(String name, Trigger trigger) {
    TargetRunner runner = runners.get(name);
    if (runner == null) {
      throw new IllegalArgumentException("no target named " + name);
    }
    feedOf.get(name).refresh(trigger, runner);
    return runner.request(trigger);
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

  /** The default repository's source ({@code tidemark.git.*}), if one is configured. */
  public Optional<ObservedSource> source() {
    return Optional.ofNullable(feeds.get(DEFAULT_REPO)).map(RepositoryFeed::source);
  }

  /** Every repository, by name ({@value #DEFAULT_REPO} for {@code tidemark.git.*}). */
  public Map<String, RepositoryFeed> feeds() {
    return Map.copyOf(feeds);
  }

  /** The repository a target reads, by the target's name. */
  public Optional<RepositoryFeed> feedOf(String target) {
    return Optional.ofNullable(feedOf.get(target));
  }
}
