package io.tidemark.reliability;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Measures what a piece of work costs on the calling thread: the bytes it allocated (an upper bound
 * of the heap it can have grown by, garbage included) and the time it took.
 */
record Allocation(long bytes, Duration took) {

  static final long MIB = 1024 * 1024;

  /** Runs {@code work} on this thread and measures it; what it returns or throws is ignored. */
  static Allocation of(Callable<?> work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    long start = System.nanoTime();
    try {
      work.call();
    } catch (Exception e) {
      // The outcome is the caller's concern; only the cost is measured here.
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Allocation(threads.getThreadAllocatedBytes(id) - before, took);
  }

  long mebibytes() {
    return bytes / MIB;
  }
}
