package io.tidemark.reconcile;

import io.tidemark.cluster.Target;
import io.tidemark.cluster.TargetException;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.diff.Pair;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.DesiredState;
import io.tidemark.model.LiveState;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ReportBuilder;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.GitSource;
import io.tidemark.source.Revision;
import io.tidemark.source.RevisionStore;
import io.tidemark.source.SourceException;
import io.tidemark.source.UntrustedRevisionException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs the reconcile pipeline for one target: fetch, render, snapshot, pair, plan, apply, wait,
 * report. Not thread-safe by design: {@link TargetRunner} guarantees one run at a time.
 */
public final class TargetReconciler {

  private static final Logger LOG = Logger.getLogger(TargetReconciler.class);

  private static final java.util.regex.Pattern GIT_COMMIT =
      java.util.regex.Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  private final TargetSettings settings;
  private final Target target;
  private final GitSource source;
  private final RunListener listener;
  private final Clock clock;

  /** The newest revision that rendered cleanly, and what it rendered to; kept live on bad input. */
  private RevisionInfo lastGoodRevision;

  private DesiredState lastGoodState;

  /** What the last render depended on; null until a revision rendered cleanly. */
  private volatile WatchedPaths watched;

  /** Set while a run waits for health; a newer revision may then end the wait. */
  private final AtomicBoolean awaitingHealth = new AtomicBoolean();

  private final AtomicBoolean superseded = new AtomicBoolean();

  /** The commit the run in its health wait fetched; a request for the same commit waits. */
  private volatile String awaitedCommit;

  /**
   * Set when the service shuts down or this replica hands the target's shard over: the run in
   * flight ends at its next step, as interrupted, and no new run starts until resumed.
   */
  private volatile Halt halt = Halt.NONE;

  /** Whether the run in flight is waiting for health (a wait that a shutdown may cut short). */
  private volatile boolean waiting;

  private volatile Thread runThread;

  /** The run in flight, so that a shutdown that cannot wait for it still records it. */
  private volatile ReportBuilder inFlight;

  private final java.util.concurrent.atomic.AtomicBoolean reported =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Where the last good revision is kept across restarts; empty keeps it in memory only. */
  private final Optional<RevisionStore> lastGoodStore;

  public TargetReconciler(
      TargetSettings settings, Target target, GitSource source, RunListener listener, Clock clock) {
    this(settings, target, source, listener, clock, Optional.empty());
  }

  public TargetReconciler(
      TargetSettings settings,
      Target target,
      GitSource source,
      RunListener listener,
      Clock clock,
      Optional<RevisionStore> lastGoodStore) {
    this.settings = settings;
    this.target = target;
    this.source = source;
    this.listener = listener;
    this.clock = clock;
    this.lastGoodStore = lastGoodStore;
  }

  public TargetSettings settings() {
    return settings;
  }

  /**
   * Whether a push that changed {@code paths} concerns this target: one under its folder or among
   * the files its last render read; always true before a clean render.
   */
  public boolean concerns(java.util.Set<String> paths) {
    WatchedPaths now = watched;
    return now == null || now.touchedBy(paths);
  }

  public DriftReport reconcile(Trigger trigger) {
    Instant started = clock.instant();
    ReportBuilder report =
        new ReportBuilder(
            UUID.randomUUID().toString(), settings.name(), settings.mode(), trigger, started);
    reported.set(false);
    inFlight = report;
    runThread = Thread.currentThread();
    StepTimes times = new StepTimes(clock);
    DriftReport done;
    try {
      done = run(report, times);
    } finally {
      runThread = null;
      inFlight = null;
      waiting = false;
    }
    if (!reported.compareAndSet(false, true)) {
      return done; // a shutdown that could not wait for this run already recorded it
    }
    listener.completed(done);
    times.mark("report");
    LOG.debugf("target=%s steps: %s", settings.name(), times);
    LOG.infof(
        "reconciled target=%s revision=%s result=%s mode=%s changes=%s duration=%dms",
        done.target(),
        done.revision() == null ? "-" : done.revision().shortCommit(),
        done.result(),
        done.mode(),
        done.summary(),
        done.durationMillis());
    if (!done.errors().isEmpty()) {
      LOG.warnf("target %s: %s", done.target(), String.join("; ", done.errors()));
    }
    return done;
  }

  private DriftReport run(ReportBuilder report, StepTimes times) {
    // 1. Fetch: a failed fetch falls back to the last fetched revision, so an unreachable remote
    // never stops drift detection or self-healing of what Git last said.
    Revision revision;
    try {
      revision = fetch();
    } catch (UntrustedRevisionException e) {
      // A head without a trusted signature is refused like an invalid revision: the last trusted
      // one (the source never hands out another) stays live.
      report.error("git: " + e.getMessage());
      revision = source.current().orElse(null);
      if (revision == null) {
        report.revision(e.revision());
        return report.failed(RunResult.INVALID_REVISION, clock.instant());
      }
      report.note(
          "Revision "
              + e.revision().shortCommit()
              + " is not signed by a trusted key and was refused; reconciling the last trusted"
              + " revision "
              + revision.info().shortCommit()
              + ".");
    } catch (SourceException e) {
      report.error("git: " + e.getMessage());
      revision = source.current().orElse(null);
      if (revision == null) {
        return report.failed(RunResult.SOURCE_FAILED, clock.instant());
      }
      report.note(
          "Git fetch failed; using the last fetched revision "
              + revision.info().shortCommit()
              + ".");
    }

    times.mark("fetch");

    // 2. Render: a revision that does not load is rejected whole; the last good one stays live.
    DesiredState desired;
    RevisionInfo used;
    try {
      if (renderedAlready(revision)) {
        // A commit never changes: what it rendered to last time is what it renders to now.
        desired = lastGoodState;
      } else {
        desired = target.loader().load(revision.tree(), settings.path(), revision.info());
        rememberGood(revision.info(), desired);
        watched = new WatchedPaths(settings.path(), desired.inputs());
      }
      used = revision.info();
      desired.notes().forEach(report::note);
    } catch (InvalidRevisionException e) {
      // What a broken render needs is not known: until one renders, any change may fix it.
      watched = null;
      for (RenderError error : e.errors()) {
        report.error(error.toString());
      }
      if (lastGoodState == null) {
        recallGood();
      }
      if (lastGoodState == null) {
        report.revision(revision.info());
        return report.failed(RunResult.INVALID_REVISION, clock.instant());
      }
      report.note(
          "Revision "
              + revision.info().shortCommit()
              + " is invalid and was rejected whole; reconciling the last good revision "
              + lastGoodRevision.shortCommit()
              + ".");
      desired = lastGoodState;
      used = lastGoodRevision;
    }
    report.revision(used);
    times.mark("render");

    // 3. Snapshot the live objects this target owns, and any unowned namesakes.
    LiveState live;
    try {
      live = target.snapshot(desired.objects().keySet());
    } catch (TargetException e) {
      report.error("cluster: " + e.getMessage());
      return report.failed(RunResult.TARGET_UNREACHABLE, clock.instant());
    }

    times.mark("snapshot");
    // Health is observed on every run from the same snapshot, not only after an apply: a target
    // can be in sync with Git while none of its tasks runs.
    report.observed(live.health());

    // 4. Pair and plan: pure.
    List<Pair> pairs = Pairing.pair(desired, live);
    Plan plan =
        Planner.plan(
            pairs,
            target.comparing(pairs),
            target.applyOrder(),
            settings.policy(),
            settings.mask());
    report.plan(plan);
    times.mark("plan");

    // 5. Apply what differs, in apply mode and outside deny windows only, then wait for the
    // changed objects. A held apply still reports the drift, and says why nothing was written.
    if (settings.mode() == Mode.APPLY && !plan.writes().isEmpty()) {
      SyncWindows.Verdict window = settings.windows().at(clock.instant());
      if (stopping()) {
        report.note(halt.who() + " before applying; nothing was written.");
        return report.interrupted(clock.instant());
      }
      if (window.applyAllowed()) {
        ApplyResult applied = target.apply(plan, used, settings.prune());
        times.mark("apply");
        report.applied(applied, List.of());
        if (stopping()) {
          return interrupted(report, "after applying, before waiting for health");
        }
        List<ObjectHealth> health = awaitHealth(revision, plan, applied, report);
        Thread.interrupted(); // a shutdown may have cut the wait; the report is still written
        report.applied(applied, health);
        times.mark("health");
        if (stopping()) {
          return interrupted(report, "while waiting for health");
        }
      } else {
        report.note(window.reason() + "; drift is reported, not applied.");
      }
    }
    return report.finished(clock.instant());
  }

  /**
   * Ends the health wait of the run under way, if it is in one and the source now holds a newer
   * commit than the one that run fetched, so that the newer revision is applied at once instead of
   * queueing behind it. A request that brings nothing new (a sync asked for during the rollout it
   * started, a redelivered webhook) leaves the wait alone: its run follows, and finds what the wait
   * saw through.
   *
   * @return whether a wait was ended
   */
  public boolean supersede() {
    if (!awaitingHealth.get()) {
      return false;
    }
    String newest = source.current().map(r -> r.info().commit()).orElse(null);
    if (newest == null || newest.equals(awaitedCommit)) {
      return false;
    }
    superseded.set(true);
    return true;
  }

  private List<ObjectHealth> awaitHealth(
      Revision fetched, Plan plan, ApplyResult applied, ReportBuilder report) {
    superseded.set(false);
    awaitedCommit = fetched.info().commit();
    awaitingHealth.set(true);
    waiting = true;
    try {
      List<ObjectHealth> health =
          target.awaitHealthy(plan, applied, settings.healthTimeout(), superseded::get);
      if (superseded.get()) {
        report.superseded();
      }
      return health;
    } finally {
      awaitingHealth.set(false);
      waiting = false;
    }
  }

  private DriftReport interrupted(ReportBuilder report, String when) {
    report.note(halt.who() + " " + when + "; " + halt.next() + " completes the reconcile.");
    return report.interrupted(clock.instant());
  }

  /**
   * Asks the run in flight to end at its next step: a health wait ends at once, an apply finishes
   * the writes in flight. The run is then recorded as interrupted with what it had done.
   */
  public void stop() {
    halt(Halt.SHUTDOWN);
  }

  /**
   * As {@link #stop()}, because this replica no longer holds the target's shard: the run in flight
   * is recorded as interrupted by the handover, and runs start again only after {@link #resume()}.
   */
  public void handOver() {
    if (halt != Halt.SHUTDOWN) {
      halt(Halt.HANDOVER);
    }
  }

  /** Runs may start again: this replica holds the target's shard (again). */
  public void resume() {
    if (halt == Halt.HANDOVER) {
      halt = Halt.NONE;
    }
  }

  private void halt(Halt why) {
    halt = why;
    Thread thread = runThread;
    if (waiting && thread != null) {
      thread.interrupt();
    }
  }

  public boolean stopping() {
    return halt != Halt.NONE;
  }

  /**
   * Records the run in flight as interrupted when the shutdown cannot wait for it any longer (its
   * step outlived {@code tidemark.shutdown-timeout}); does nothing when no run is in flight.
   */
  public void abandon() {
    ReportBuilder report = inFlight;
    if (report == null || !reported.compareAndSet(false, true)) {
      return;
    }
    try {
      report.note(
          halt.who()
              + " while a step was still in flight (tidemark.shutdown-timeout passed); "
              + halt.next()
              + " completes the reconcile.");
      listener.completed(report.interrupted(clock.instant()));
    } catch (RuntimeException e) {
      LOG.warnf("target %s: the interrupted run could not be recorded: %s", settings.name(), e);
    }
  }

  /**
   * Whether {@code revision} is the Git commit the last good state was rendered from. A local
   * folder's revision ({@code local}, {@code <commit>-dirty}) can change under the same name and is
   * always rendered again.
   */
  private boolean renderedAlready(Revision revision) {
    String commit = revision.info().commit();
    return lastGoodState != null
        && watched != null
        && lastGoodRevision != null
        && lastGoodRevision.commit().equals(commit)
        && GIT_COMMIT.matcher(commit).matches();
  }

  private void rememberGood(RevisionInfo used, DesiredState desired) {
    boolean moved = lastGoodRevision == null || !lastGoodRevision.commit().equals(used.commit());
    lastGoodRevision = used;
    lastGoodState = desired;
    if (moved && lastGoodStore.isPresent()) {
      try {
        lastGoodStore.get().save(used);
      } catch (java.io.IOException e) {
        LOG.warnf("target %s: cannot remember the last good revision: %s", settings.name(), e);
      }
    }
  }

  /**
   * After a restart the memory is empty: render the last good revision remembered on disk again, so
   * that an invalid head keeps the revision before it live instead of reconciling nothing.
   */
  private void recallGood() {
    Optional<Revision> remembered =
        lastGoodStore.flatMap(RevisionStore::info).flatMap(info -> source.revision(info.commit()));
    if (remembered.isEmpty()) {
      return;
    }
    Revision revision = remembered.get();
    try {
      lastGoodState = target.loader().load(revision.tree(), settings.path(), revision.info());
      lastGoodRevision = revision.info();
      watched = new WatchedPaths(settings.path(), lastGoodState.inputs());
      LOG.infof(
          "target %s: recalled the last good revision %s from before the restart",
          settings.name(), revision.info().shortCommit());
    } catch (InvalidRevisionException e) {
      LOG.warnf(
          "target %s: the remembered revision %s no longer renders",
          settings.name(), revision.info().shortCommit());
    }
  }

  /**
   * The revision to reconcile. In the service the source is the repository's feed, which fetched
   * already and counted that fetch; reading its newest revision is no fetch and is not counted.
   */
  private Revision fetch() throws SourceException {
    return source.sync();
  }

  /** Why runs stop: they do not, the service shuts down, or another replica takes the target. */
  private enum Halt {
    NONE("", ""),
    SHUTDOWN("The service shut down", "the next run"),
    HANDOVER(
        "This replica handed the target's shard over to another replica",
        "that replica's next run");

    private final String who;
    private final String next;

    Halt(String who, String next) {
      this.who = who;
      this.next = next;
    }

    String who() {
      return who;
    }

    String next() {
      return next;
    }
  }
}
