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
          try {
            task.run();
          } finally {
            next();
          }
        });
    if (active == null) {
      next();
    }
  }

  private synchronized void next() {
    active = closed ? null : tasks.poll();
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
}
