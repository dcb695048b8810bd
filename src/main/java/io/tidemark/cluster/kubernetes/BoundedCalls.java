package io.tidemark.cluster.kubernetes;

import io.tidemark.concurrent.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one step's API calls (dry-runs, applies) at most {@code limit} at a time on a target's own
 * pool of daemon threads, started on demand and let go when idle, and answers in input order. The
 * calls of one object stay on one thread; with a limit of 1 everything runs on the caller's thread.
 */
final class BoundedCalls {

  /** Calls in flight at once unless configured: kubectl's parallelism, not the server's limit. */
  static final int DEFAULT_LIMIT = 8;

  private final int limit;
  private final ExecutorService pool;

  /**
   * @param name names the threads ({@code tidemark-kube-<name>-N})
   * @param limit how many calls run at once, at least 1
   */
  BoundedCalls(String name, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, not " + limit);
    }
    this.limit = limit;
    this.pool =
        limit == 1 ? null : Workers.fixed("tidemark-kube-" + Objects.requireNonNull(name), limit);
  }

  int limit() {
    return limit;
  }

  /**
   * {@code call} applied to every item, the answers in the order of {@code items}. {@code call}
   * turns its own failures into answers; an unchecked exception ends the whole step, as it would
   * serially. Waits for every call, even when interrupted (each call is bounded by the client's
   * timeouts), and then keeps the interrupt for the caller to see.
   */
  <T, R> List<R> map(List<T> items, Function<? super T, ? extends R> call) {
    if (pool == null || items.size() < 2) {
      List<R> out = new ArrayList<>(items.size());
      items.forEach(item -> out.add(call.apply(item)));
      return out;
    }
    List<Future<R>> futures = new ArrayList<>(items.size());
    for (T item : items) {
      futures.add(pool.submit(() -> call.apply(item)));
    }
    List<R> out = new ArrayList<>(items.size());
    boolean interrupted = false;
    for (Future<R> future : futures) {
      while (true) {
        try {
          out.add(future.get());
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
