package io.tidemark.concurrent;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Bounded pools of named daemon threads, started on demand and let go when idle. */
public final class Workers {

  private Workers() {}

  /** At most {@code size} threads named {@code prefix-N}; idle ones end after a minute. */
  public static ExecutorService fixed(String prefix, int size) {
    return fixed(prefix, size, Duration.ofMinutes(1));
  }

  /** At most {@code size} threads named {@code prefix-N}; idle ones end after {@code idle}. */
  public static ExecutorService fixed(String prefix, int size, Duration idle) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size,
            size,
            idle.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
