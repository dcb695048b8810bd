package io.tidemark.report;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Posts notification bodies to their channel, off the caller's thread: a failed attempt (network
 * error, timeout, 408, 429 or 5xx) is retried with exponential backoff and jitter, up to the
 * channel's attempts; other answers are final. Logs name the channel, never its URL (which may hold
 * a token).
 */
final class WebhookSender {

  private static final Logger LOG = Logger.getLogger(WebhookSender.class);

  private final ScheduledExecutorService scheduler;
  private final DoubleSupplier random;

  WebhookSender(ScheduledExecutorService scheduler, DoubleSupplier random) {
    this.scheduler = scheduler;
    this.random = random;
  }

  /** One notification to deliver; the delivery id stays the same across retries. */
  record Delivery(
      NotificationChannel channel, HttpClient client, String event, String id, byte[] body) {}

  void send(Delivery delivery) {
    scheduler.execute(() -> attempt(delivery, 1));
  }

  private void attempt(Delivery delivery, int attempt) {
    NotificationChannel channel = delivery.channel();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(channel.url())
            .timeout(channel.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "tidemark")
            .header("X-Tidemark-Event", delivery.event())
            .header("X-Tidemark-Delivery", delivery.id())
            .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
    channel.secret().ifPresent(key -> request.header("X-Tidemark-Signature", sign(key, delivery)));
    delivery
        .client()
        .sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() < 300) {
                LOG.debugf(
                    "notification %s sent to %s (attempt %d)",
                    delivery.event(), channel.name(), attempt);
                return;
              }
              int status = error == null ? response.statusCode() : 0;
              boolean retry = error != null || status == 408 || status == 429 || status >= 500;
              // An exception's message may quote the URL: name its type only.
              String problem =
                  error == null ? "HTTP " + status : rootCause(error).getClass().getSimpleName();
              if (retry && attempt < channel.attempts()) {
                long delay = delayMillis(channel.backoff(), attempt);
                LOG.debugf(
                    "notification %s to %s failed (%s); retry %d in %dms",
                    delivery.event(), channel.name(), problem, attempt, delay);
                scheduleRetry(delivery, attempt + 1, delay);
              } else {
                LOG.warnf(
                    "notification %s to channel %s failed after %d attempt(s): %s",
                    delivery.event(), channel.name(), attempt, problem);
              }
            });
  }

  private void scheduleRetry(Delivery delivery, int next, long delayMillis) {
    try {
      scheduler.schedule(() -> attempt(delivery, next), delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debugf("notifier closed; dropping retry to %s", delivery.channel().name());
    }
  }

  /** Backoff {@code base * 2^(n-1)}, of which a random half is waited on top of the other half. */
  long delayMillis(Duration base, int failedAttempts) {
    long full = base.toMillis() << Math.min(failedAttempts - 1, 20);
    return full / 2 + (long) (random.getAsDouble() * (full - full / 2));
  }

  static String sign(String key, Delivery delivery) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(delivery.body()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM has no HmacSHA256", e);
    }
  }

  private static Throwable rootCause(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
