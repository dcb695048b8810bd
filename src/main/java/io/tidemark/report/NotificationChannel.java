package io.tidemark.report;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One outgoing webhook: where it posts, in which format, for which events, with which signing key
 * and retry policy. Its URL may itself be a credential (Slack's are): {@link #toString()} shows
 * only the host.
 *
 * @param secret HMAC-SHA256 key for the {@code X-Tidemark-Signature} header, if any
 * @param attempts tries per notification, at least 1
 * @param backoff delay before the first retry; each later retry waits twice as long, with jitter
 * @param timeout connect and response timeout of one attempt
 */
public record NotificationChannel(
    String name,
    URI url,
    Format format,
    Set<Event> events,
    Optional<String> secret,
    int attempts,
    Duration backoff,
    Duration timeout) {

  public NotificationChannel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(format, "format");
    events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("notification " + name + ": url must be http(s)");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("notification " + name + ": attempts must be >= 1");
    }
    if (backoff.isNegative() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("notification " + name + ": bad backoff or timeout");
    }
  }

  /** The body a channel receives. */
  public enum Format {
    /** Tidemark's own JSON: summary, drifted objects with their diffs, and the text rendering. */
    JSON,
    /** A Slack incoming-webhook message: {@code text} plus {@code blocks}. */
    SLACK
  }

  /** What a channel can be told about. */
  public enum Event {
    /** Drift found that differs from the drift last told (the same drift is told once). */
    DRIFT,
    /** An apply failed, or what it changed did not become healthy. */
    APPLY_FAILED,
    /** The first successful run after a failed one. */
    RECOVERED,
    /** The target's health turned degraded (or worse than healthy changed what is unhealthy). */
    HEALTH_DEGRADED,
    /** The target is healthy again after a degraded health was told. */
    HEALTH_RECOVERED;

    /**
     * {@code drift}, {@code apply-failed}, {@code recovered}, {@code health-degraded}, {@code
     * health-recovered}: as configuration and payloads say.
     */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  @Override
  public String toString() {
    return "NotificationChannel[name="
        + name
        + ", host="
        + url.getHost()
        + ", format="
        + format
        + ", events="
        + events
        + ", signed="
        + secret.isPresent()
        + "]";
  }
}
