package io.tidemark.reconcile;

import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs one target's reconciles one at a time, on its own thread, on its poll interval and on
 * demand. A request that arrives while a run is under way is queued once; later ones join it, so a
 * burst of triggers costs one follow-up run, and that run fetches the newest commit.
 */
public final class TargetRunner implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(TargetRunner.class);

  private final TargetReconciler reconciler;
  private final ExecutorService worker;
  private final AtomicReference<CompletableFuture<DriftReport>> queued = new AtomicReference<>();
  private final AtomicReference<DriftReport> last = new AtomicReference<>();
  private volatile boolean running;

  public TargetRunner(TargetReconciler reconciler) {
    this.reconciler = reconciler;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tidemark-" + reconciler.settings().name());
              t.setDaemon(true);
              return t;
            });
  }

  public TargetSettings settings() {
    return reconciler.settings();
  }

  /**
   * Asks for a reconcile. Returns the future of the run that will serve this request: a new one, or
   * the one already queued (never the one already running, which may have fetched too early).
   */
  public CompletableFuture<DriftReport> request(Trigger trigger) {
    while (true) {
      CompletableFuture<DriftReport> pending = queued.get();
      if (pending != null) {
        return pending;
      }
      CompletableFuture<DriftReport> fresh = new CompletableFuture<>();
      if (queued.compareAndSet(null, fresh)) {
        worker.execute(() -> runQueued(fresh, trigger));
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
  public Optional<ScheduledFuture<?>> schedule(ScheduledExecutorService timer) {
    if (settings().mode() == Mode.SUSPEND) {
      return Optional.empty();
    }
    long period = settings().pollInterval().toMillis();
    return Optional.of(
        timer.scheduleWithFixedDelay(
            () -> request(Trigger.poll()), 0, period, TimeUnit.MILLISECONDS));
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
    worker.shutdown();
  }

  /**
   * Waits until {@code deadline} for the run in flight to end (it records itself as interrupted);
   * past it, records the run as interrupted anyway and stops the thread.
   */
  public void awaitStopped(java.time.Instant deadline) {
    try {
      long left =
          Math.max(0, java.time.Duration.between(java.time.Instant.now(), deadline).toMillis());
      if (!worker.awaitTermination(left, TimeUnit.MILLISECONDS)) {
        LOG.warnf("target %s: the step in flight outlived the shutdown timeout", settings().name());
        reconciler.abandon();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reconciler.abandon();
    }
    worker.shutdownNow();
  }

  @Override
  public void close() {
    stop();
    worker.shutdownNow();
  }
}
