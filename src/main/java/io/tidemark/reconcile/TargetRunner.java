package io.tidemark.reconcile;

import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs one target's reconciles one at a time, on a pool shared by all targets (or a thread of its
 * own when given none), on its poll interval and on demand. A request that arrives while a run is
 * under way is queued once; later ones join it, so a burst of triggers costs one follow-up run, and
 * that run reads the newest commit. Runs a push or a person asked for take the pool ahead of drift
 * checks waiting there.
 */
public final class TargetRunner implements Polled, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TargetRunner.class);

  private final TargetReconciler reconciler;
  private final ExecutorService ownThread;
  private final SerialExecutor worker;
  private final AtomicReference<CompletableFuture<DriftReport>> queued = new AtomicReference<>();
  private final AtomicReference<DriftReport> last = new AtomicReference<>();
  private volatile boolean running;

  /** A runner with a thread of its own, closed with it. */
  public TargetRunner(TargetReconciler reconciler) {
    this(
        reconciler,
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tidemark-" + reconciler.settings().name());
              t.setDaemon(true);
              return t;
            }),
        true);
  }

  /** A runner whose runs take a thread of {@code pool} in turn; the pool is not closed with it. */
  public TargetRunner(TargetReconciler reconciler, Executor pool) {
    this(reconciler, pool, false);
  }

  private TargetRunner(TargetReconciler reconciler, Executor pool, boolean owned) {
    this.reconciler = reconciler;
    this.ownThread = owned ? (ExecutorService) pool : null;
    this.worker = new SerialExecutor(pool);
  }

  public TargetSettings settings() {
    return reconciler.settings();
  }

  /** Whether a push that changed {@code paths} concerns this target (see the reconciler). */
  public boolean concerns(Set<String> paths) {
    return reconciler.concerns(paths);
  }

  /**
   * Asks for a reconcile. Returns the future of the run that will serve this request: a new one, or
   * the one already queued (never the one already running, which may have fetched too early). A
   * push or an explicit request (anything but the poll timer) ends the health wait of the run under
   * way, so that a newer revision never queues behind an older one's rollout.
   */
  public CompletableFuture<DriftReport> request(Trigger trigger) {
    return request(trigger, trigger.source() != Trigger.Source.POLL);
  }

  /**
   * As {@link #request(Trigger)}; the run starts before the drift checks waiting for the pool when
   * {@code urgent}: a push, a person, or a new commit that concerns this target is waiting for it.
   */
  public CompletableFuture<DriftReport> request(Trigger trigger, boolean urgent) {
    CompletableFuture<DriftReport> run = enqueue(trigger, urgent);
    if (trigger.source() != Trigger.Source.POLL && reconciler.supersede()) {
      LOG.debugf("target %s: health wait ended for a newer request", settings().name());
    }
    return run;
  }

  private CompletableFuture<DriftReport> enqueue(Trigger trigger, boolean urgent) {
    while (true) {
      CompletableFuture<DriftReport> pending = queued.get();
      if (pending != null) {
        if (urgent) {
          worker.hurry(); // the queued run may be a drift check still waiting for the pool
        }
        return pending;
      }
      CompletableFuture<DriftReport> fresh = new CompletableFuture<>();
      if (queued.compareAndSet(null, fresh)) {
        try {
          worker.execute(() -> runQueued(fresh, trigger), urgent);
        } catch (RejectedExecutionException e) {
          queued.compareAndSet(fresh, null);
          fresh.completeExceptionally(e);
        }
        return fresh;
      }
    }
  }

  private void runQueued(CompletableFuture<DriftReport> future, Trigger trigger) {
    // Unqueue before running: a trigger that arrives from now on needs a run after this one.
    queued.compareAndSet(future, null);
    if (reconciler.stopping()) {
      future.cancel(false); // shutting down: no new run starts
      return;
    }
    running = true;
    try {
      DriftReport report = reconciler.reconcile(trigger);
      last.set(report);
      future.complete(report);
    } catch (RuntimeException e) {
      LOG.errorf(e, "reconcile of target %s failed unexpectedly", settings().name());
      future.completeExceptionally(e);
    } finally {
      running = false;
    }
  }

  /**
   * Starts polling on the target's interval; suspended targets never poll.
   *
   * @return the scheduled polls, to cancel them; empty for a suspended target
   */
  @Override
  public Optional<ScheduledFuture<?>> schedule(ScheduledExecutorService timer) {
    return schedule(timer, Duration.ZERO);
  }

  /** As {@link #schedule(ScheduledExecutorService)}, the first poll after {@code initialDelay}. */
  public Optional<ScheduledFuture<?>> schedule(
      ScheduledExecutorService timer, Duration initialDelay) {
    if (settings().mode() == Mode.SUSPEND) {
      return Optional.empty();
    }
    long period = settings().pollInterval().toMillis();
    return Optional.of(
        timer.scheduleWithFixedDelay(
            () -> request(Trigger.poll()), initialDelay.toMillis(), period, TimeUnit.MILLISECONDS));
  }

  public boolean running() {
    return running;
  }

  public boolean queued() {
    return queued.get() != null;
  }

  /** The report of the newest finished run, or null before the first one. */
  public DriftReport lastReport() {
    return last.get();
  }

  /** Asks the run in flight to stop at its next step; no queued run starts after this. */
  public void stop() {
    reconciler.stop();
    worker.close();
  }

  /**
   * Waits until {@code deadline} for the run in flight to end (it records itself as interrupted);
   * past it, records the run as interrupted anyway and stops the thread.
   */
  public void awaitStopped(java.time.Instant deadline) {
    try {
      long left =
          Math.max(0, java.time.Duration.between(java.time.Instant.now(), deadline).toMillis());
      if (!worker.awaitIdle(left)) {
        LOG.warnf("target %s: the step in flight outlived the shutdown timeout", settings().name());
        reconciler.abandon();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reconciler.abandon();
    }
    worker.interrupt();
  }

  /**
   * Stops this target here because another replica takes it over: the run in flight ends at its
   * next step as interrupted, the queued run is dropped, and requests are refused until {@link
   * #resume()}. {@link #awaitHandedOver} waits for the run in flight.
   */
  public void handOver() {
    reconciler.handOver();
    CompletableFuture<DriftReport> pending = queued.getAndSet(null);
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** Waits up to {@code deadline} for the run in flight to end; past it records it interrupted. */
  public void awaitHandedOver(java.time.Instant deadline) {
    try {
      long left =
          Math.max(0, java.time.Duration.between(java.time.Instant.now(), deadline).toMillis());
      if (!worker.awaitIdle(left)) {
        LOG.warnf("target %s: the step in flight outlived the handover", settings().name());
        reconciler.abandon();
        worker.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reconciler.abandon();
    }
  }

  /** Runs this target here again: this replica holds its shard (again). */
  public void resume() {
    reconciler.resume();
  }

  /** Whether runs start here: false after a shutdown or a handover not yet resumed. */
  public boolean active() {
    return !reconciler.stopping();
  }

  @Override
  public void close() {
    stop();
    worker.interrupt();
    if (ownThread != null) {
      ownThread.shutdownNow();
    }
  }
}
