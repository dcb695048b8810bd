package io.tidemark.reconcile;

import io.tidemark.cluster.Target;
import io.tidemark.cluster.TargetException;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
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
import io.tidemark.source.SourceException;
import io.tidemark.source.UntrustedRevisionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs the reconcile pipeline for one target: fetch, render, snapshot, pair, plan, apply, wait,
 * report. Not thread-safe by design: {@link TargetRunner} guarantees one run at a time.
 */
public final class TargetReconciler {

  private static final Logger LOG = Logger.getLogger(TargetReconciler.class);

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

  public TargetReconciler(
      TargetSettings settings, Target target, GitSource source, RunListener listener, Clock clock) {
    this.settings = settings;
    this.target = target;
    this.source = source;
    this.listener = listener;
    this.clock = clock;
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
    DriftReport done = run(report);
    listener.completed(done);
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

  private DriftReport run(ReportBuilder report) {
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

    // 2. Render: a revision that does not load is rejected whole; the last good one stays live.
    DesiredState desired;
    RevisionInfo used;
    try {
      desired = target.loader().load(revision.tree(), settings.path(), revision.info());
      used = revision.info();
      lastGoodRevision = used;
      lastGoodState = desired;
      watched = new WatchedPaths(settings.path(), desired.inputs());
    } catch (InvalidRevisionException e) {
      // What a broken render needs is not known: until one renders, any change may fix it.
      watched = null;
      for (RenderError error : e.errors()) {
        report.error(error.toString());
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

    // 3. Snapshot the live objects this target owns, and any unowned namesakes.
    LiveState live;
    try {
      live = target.snapshot(desired.objects().keySet());
    } catch (TargetException e) {
      report.error("cluster: " + e.getMessage());
      return report.failed(RunResult.TARGET_UNREACHABLE, clock.instant());
    }

    // 4. Pair and plan: pure.
    Plan plan =
        Planner.plan(Pairing.pair(desired, live), target, target.applyOrder(), settings.policy());
    report.plan(plan);

    // 5. Apply what differs, in apply mode and outside deny windows only, then wait for the
    // changed objects. A held apply still reports the drift, and says why nothing was written.
    if (settings.mode() == Mode.APPLY && !plan.writes().isEmpty()) {
      SyncWindows.Verdict window = settings.windows().at(clock.instant());
      if (window.applyAllowed()) {
        ApplyResult applied = target.apply(plan, used, settings.prune());
        List<ObjectHealth> health = target.awaitHealthy(plan, applied, settings.healthTimeout());
        report.applied(applied, health);
      } else {
        report.note(window.reason() + "; drift is reported, not applied.");
      }
    }
    return report.finished(clock.instant());
  }

  private Revision fetch() throws SourceException {
    Instant start = clock.instant();
    boolean ok = false;
    try {
      Revision revision = source.sync();
      ok = true;
      return revision;
    } catch (UntrustedRevisionException e) {
      ok = true; // the fetch worked; what it brought is refused
      throw e;
    } finally {
      listener.fetched(Duration.between(start, clock.instant()), ok);
    }
  }
}
