package io.tidemark.reconcile;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs its tasks one after another, in order, on a shared pool: one target's runs never overlap,
 * while a bounded pool serves every target. An urgent task, or one hurried while it waits, takes
 * its turn on the pool ahead of ordinary tasks of other targets.
 */
final class SerialExecutor implements Executor {

  private final RankedExecutor pool;
  private final Queue<Ticket> tasks = new ArrayDeque<>();
  private Ticket active; // guarded by this: handed to the pool, started or not
  private Thread running; // guarded by this: the pool thread of the task under way
  private boolean closed; // guarded by this

  SerialExecutor(Executor pool) {
    this.pool = RankedExecutor.of(pool);
  }

  @Override
  public void execute(Runnable task) {
    execute(task, false);
  }

  /** Runs {@code task} after the tasks before it; on the pool as urgent when {@code urgent}. */
  synchronized void execute(Runnable task, boolean urgent) {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
    tasks.add(new Ticket(task, urgent));
    if (active == null) {
      next();
    }
  }

  /**
   * Makes the tasks not started yet urgent: one already waiting on the pool is handed to it again
   * as urgent (whichever copy starts first runs it, the other does nothing).
   */
  synchronized void hurry() {
    tasks.forEach(ticket -> ticket.urgent = true);
    Ticket waiting = active;
    if (waiting != null && !waiting.urgent && !waiting.claimed.get()) {
      waiting.urgent = true;
      try {
        pool.execute(waiting, true);
      } catch (RejectedExecutionException e) {
        // The pool is shutting down: the task will not run either way.
      }
    }
  }

  private synchronized void next() {
    active = closed ? null : tasks.poll();
    notifyAll(); // wakes awaitIdle
    if (active != null) {
      try {
        pool.execute(active, active.urgent);
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

  /** One task and its urgency; it runs once, however many times it was handed to the pool. */
  private final class Ticket implements Runnable {
    private final Runnable task;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile boolean urgent;

    Ticket(Runnable task, boolean urgent) {
      this.task = task;
      this.urgent = urgent;
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) {
        return; // a hurried copy of this ticket ran it already
      }
      synchronized (SerialExecutor.this) {
        running = Thread.currentThread();
      }
      try {
        task.run();
      } finally {
        synchronized (SerialExecutor.this) {
          running = null;
        }
        next();
      }
    }
  }
}
