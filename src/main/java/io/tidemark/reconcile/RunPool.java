package io.tidemark.reconcile;

import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded pool every target's runs share ({@code tidemark.workers}): waiting runs start in the
 * order they were asked for, except that urgent ones (a push, an API sync) start before every
 * ordinary one (a drift check), so that with hundreds of targets due a push is not served last.
 */
final class RunPool implements RankedExecutor {

  private final ThreadPoolExecutor pool;
  private final AtomicLong order = new AtomicLong();

  /** At most {@code size} threads named {@code prefix-N}; idle ones end after a minute. */
  RunPool(String prefix, int size) {
    AtomicInteger count = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            size,
            size,
            1,
            TimeUnit.MINUTES,
            new PriorityBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  @Override
  public void execute(Runnable task, boolean urgent) {
    pool.execute(new Slot(urgent, order.getAndIncrement(), task));
  }

  /** Stops the threads; waiting tasks never start. */
  List<Runnable> shutdownNow() {
    return pool.shutdownNow();
  }

  /** A waiting task's place: urgent first, then first asked, first served. */
  private record Slot(boolean urgent, long order, Runnable task)
      implements Runnable, Comparable<Slot> {

    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(Slot other) {
      if (urgent != other.urgent) {
        return urgent ? -1 : 1;
      }
      return Long.compare(order, other.order);
    }
  }
}
