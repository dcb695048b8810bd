package io.tidemark.cluster.kubernetes;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * How often and how patiently a Kubernetes API call is tried again: a bounded number of attempts,
 * exponential backoff with jitter, and only for answers that may change on their own (throttling,
 * server errors, timeouts, no answer at all). Anything else is the server's decision and is final.
 *
 * @param attempts calls in all, the first included (at least 1)
 * @param base the backoff before the second attempt; it doubles for each one after
 * @param cap the longest backoff
 * @param random a source of jitter: returns a value in {@code [0, bound)} for a given bound
 * @param sleeper how the policy waits (tests record instead of sleeping)
 */
public record RetryPolicy(
    int attempts, Duration base, Duration cap, Jitter random, Sleeper sleeper) {

  /** HTTP answers that a later attempt may not get: throttled, or the server or a proxy failed. */
  static final Set<Integer> RETRIED_CODES = Set.of(429, 500, 502, 503, 504);

  public RetryPolicy {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(sleeper, "sleeper");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    if (base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff must be 0 <= base <= cap");
    }
  }

  /** Three attempts, 200 ms then 400 ms of backoff (each with jitter), at most 2 s. */
  public static RetryPolicy standard() {
    return new RetryPolicy(
        3,
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        bound -> ThreadLocalRandom.current().nextLong(bound),
        Sleeper.REAL);
  }

  /** A random value in {@code [0, bound)}. */
  @FunctionalInterface
  public interface Jitter {
    long next(long bound);
  }

  /** Waits between attempts. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = millis -> Thread.sleep(millis);

    void sleep(long millis) throws InterruptedException;
  }

  /**
   * The backoff before attempt {@code attempt + 1} (after {@code attempt} failed, counting from 1):
   * "equal jitter", half of the exponential step fixed and half random, so retries of many clients
   * spread out but each still waits at least half its step.
   */
  public Duration backoff(int attempt) {
    long step = base.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(step, cap.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + (capped - half > 0 ? random.next(capped - half + 1) : 0));
  }

  /** Whether a failed call may succeed if made again. */
  public static boolean retryable(KubeApiException e) {
    if (e.status().isPresent()) {
      ApiStatus status = e.status().get();
      // A schema error comes back as a 500 too, and is the same on every attempt.
      return RETRIED_CODES.contains(status.code()) && !status.unreadableObject();
    }
    return noAnswer(e);
  }

  /** Timeouts and broken connections: the request may not even have reached the server. */
  private static boolean noAnswer(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof IOException
          || t instanceof InterruptedIOException
          || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** One Kubernetes API call. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws KubeApiException;
  }

  /**
   * Makes {@code call} up to {@link #attempts} times while it fails in a retryable way; the last
   * failure is thrown with the number of attempts in its message.
   */
  public <T> T call(Call<T> call) throws KubeApiException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (KubeApiException e) {
        if (!retryable(e)) {
          throw e;
        }
        if (attempt >= attempts) {
          throw new KubeApiException(
              e.getMessage() + " (after " + attempts + " attempts)",
              e.status().orElse(null),
              e.getCause());
        }
        pause(backoff(attempt), e);
      }
    }
  }

  private void pause(Duration backoff, KubeApiException failure) throws KubeApiException {
    try {
      sleeper.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }
}
