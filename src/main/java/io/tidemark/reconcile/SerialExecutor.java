package io.tidemark.reconcile;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs its tasks one after another, in order, on a shared pool: one target's runs never overlap,
 * while a bounded pool serves every target.
 */
final class SerialExecutor implements Executor {

  private final Executor pool;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private Runnable active; // guarded by this
  private Thread running; // guarded by this: the pool thread of the task under way
  private boolean closed; // guarded by this

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public synchronized void execute(Runnable task) {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
    tasks.add(
        () -> {
          synchronized (this) {
            running = Thread.currentThread();
          }
          try {
            task.run();
          } finally {
            synchronized (this) {
              running = null;
            }
            next();
          }
        });
    if (active == null) {
      next();
    }
  }

  private synchronized void next() {
    active = closed ? null : tasks.poll();
    notifyAll(); // wakes awaitIdle
    if (active != null) {
      try {
        pool.execute(active);
      } catch (RejectedExecutionException e) {
        // The pool is shutting down: nothing more will run.
        active = null;
        tasks.clear();
      }
    }
  }

  /** Drops the tasks not started; the one running finishes. */
  synchronized void close() {
    closed = true;
    tasks.clear();
  }

  /** Waits up to {@code millis} for the task under way to end; true when none runs. */
  synchronized boolean awaitIdle(long millis) throws InterruptedException {
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
    while (active != null) {
      long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Interrupts the task under way, if any (its blocking waits end). */
  synchronized void interrupt() {
    if (running != null) {
      running.interrupt();
    }
  }
}
