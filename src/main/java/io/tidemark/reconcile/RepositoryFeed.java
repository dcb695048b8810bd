package io.tidemark.reconcile;

import io.tidemark.model.Trigger;
import io.tidemark.report.RunListener;
import io.tidemark.source.GitSource;
import io.tidemark.source.Revision;
import io.tidemark.source.SourceException;
import io.tidemark.source.UntrustedRevisionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One repository and the targets that read it: one fetch per poll interval and per push, whatever
 * the number of targets. When a fetch moves the followed ref, only the targets whose watched paths
 * changed between the old and the new commit are asked to reconcile; the others keep their last
 * run. Targets read the revision of the newest fetch through {@link #revisions()}, which never
 * touches the network.
 */
public final class RepositoryFeed implements Polled {

  private static final Logger LOG = Logger.getLogger(RepositoryFeed.class);

  private final String name;
  private final ObservedSource source;
  private final Duration pollInterval;
  private final Executor fetcher;
  private final RunListener listener;
  private final Clock clock;
  private final List<TargetRunner> runners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final Object lock = new Object();

  private boolean started; // guarded by lock
  private Revision seen; // guarded by lock: the revision the targets were last told about
  private String lastRefused = ""; // guarded by lock: the newest head refused as untrusted
  private volatile boolean fetchedOnce;
  private volatile Revision latest;
  private volatile SourceException latestFailure;

  public RepositoryFeed(
      String name,
      ObservedSource source,
      Duration pollInterval,
      Executor fetcher,
      RunListener listener,
      Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.source = Objects.requireNonNull(source, "source");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public String name() {
    return name;
  }

  public ObservedSource source() {
    return source;
  }

  /** Adds a target fed by this repository. */
  public void subscribe(TargetRunner runner) {
    runners.add(runner);
  }

  /** Whether this feed fetched at least once (its first fetch runs every target it feeds). */
  public boolean started() {
    return fetchedOnce;
  }

  public List<TargetRunner> runners() {
    return List.copyOf(runners);
  }

  /**
   * Fetches now, on the calling thread, and asks the targets the move concerns to reconcile with
   * {@code trigger}. The first fetch concerns every target; a fetch that leaves the ref where it
   * was concerns none.
   *
   * @return the names of the targets asked to reconcile
   */
  public List<String> refresh(Trigger trigger) {
    return refresh(trigger, null);
  }

  /**
   * As {@link #refresh(Trigger)}, but {@code requester} is not asked here: its caller asks it and
   * waits for that one run (asking twice could queue a second run, and answer with that no-op).
   */
  public List<String> refresh(Trigger trigger, TargetRunner requester) {
    synchronized (lock) {
      // After the first fetch, a run asked for here is for a new commit: it goes ahead of drift
      // checks on the pool, whether a webhook or this repository's poll found the commit.
      boolean news = started;
      Revision now = fetch();
      List<TargetRunner> concerned = concerned(now);
      if (latestFailure instanceof UntrustedRevisionException refused
          && !refused.revision().commit().equals(lastRefused)) {
        // A newly refused head: every target reports the refusal (and keeps its trusted revision).
        lastRefused = refused.revision().commit();
        concerned = List.copyOf(runners);
      }
      if (now != null) {
        seen = now;
      }
      started = true;
      fetchedOnce = true;
      List<String> names = new ArrayList<>();
      for (TargetRunner runner : concerned) {
        if (runner.settings().mode() != io.tidemark.model.Mode.SUSPEND) {
          if (runner != requester) {
            runner.request(trigger, news || trigger.source() != Trigger.Source.POLL);
          }
          names.add(runner.settings().name());
        }
      }
      return names;
    }
  }

  private Revision fetch() {
    Instant start = clock.instant();
    boolean ok = false;
    try {
      Revision revision = source.sync();
      latest = revision;
      latestFailure = null;
      ok = true;
      return revision;
    } catch (UntrustedRevisionException e) {
      ok = true; // the fetch worked; what it brought is refused
      latestFailure = e;
      return source.current().orElse(null);
    } catch (SourceException e) {
      latestFailure = e;
      return source.current().orElse(null);
    } finally {
      listener.fetched(Duration.between(start, clock.instant()), ok);
    }
  }

  private List<TargetRunner> concerned(Revision now) {
    if (!started) {
      return List.copyOf(runners);
    }
    if (now == null || (seen != null && seen.commit().equals(now.commit()))) {
      return List.of();
    }
    Optional<Set<String>> changed =
        seen == null ? Optional.empty() : source.changedPaths(seen.commit(), now.commit());
    if (changed.isEmpty()) {
      return List.copyOf(runners);
    }
    List<TargetRunner> concerned =
        runners.stream().filter(runner -> runner.concerns(changed.get())).toList();
    LOG.infof(
        "repository %s moved to %s: %d files changed, %d of %d targets concerned",
        name, now.info().shortCommit(), changed.get().size(), concerned.size(), runners.size());
    return concerned;
  }

  /** Polls on this repository's interval, off the timer's thread. */
  @Override
  public Optional<ScheduledFuture<?>> schedule(ScheduledExecutorService timer) {
    return Optional.of(
        timer.scheduleWithFixedDelay(
            () -> refreshSoon(Trigger.poll()), 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * Asks for a {@link #refresh(Trigger)} on the fetch pool. Requests that arrive before it starts
   * join it (a burst of webhooks costs one fetch); one that arrives while it fetches gets one fetch
   * after it, which sees the newest commit.
   */
  public void refreshSoon(Trigger trigger) {
    if (!refreshQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      fetcher.execute(
          () -> {
            refreshQueued.set(false);
            try {
              refresh(trigger);
            } catch (RuntimeException e) {
              LOG.errorf(e, "fetch of repository %s failed unexpectedly", name);
            }
          });
    } catch (RejectedExecutionException e) {
      refreshQueued.set(false);
    }
  }

  /**
   * The view the targets' reconcilers read: {@code sync()} answers with the newest fetch of this
   * feed (its revision, or its failure) and fetches only when this feed has not fetched yet.
   */
  public GitSource revisions() {
    return new GitSource() {
      @Override
      public Revision sync() throws SourceException {
        SourceException failure = latestFailure;
        if (failure != null) {
          throw failure;
        }
        Revision revision = latest;
        return revision != null ? revision : source.sync();
      }

      @Override
      public Optional<Revision> current() {
        return source.current();
      }

      @Override
      public Optional<Revision> revision(String commit) {
        return source.revision(commit);
      }

      @Override
      public String url() {
        return source.url();
      }

      @Override
      public String ref() {
        return source.ref();
      }

      @Override
      public boolean tracks(String refName) {
        return source.tracks(refName);
      }
    };
  }
}
