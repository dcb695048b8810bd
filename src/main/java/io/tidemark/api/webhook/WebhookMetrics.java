package io.tidemark.api.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts webhook requests as {@code tidemark.webhook.requests} (Prometheus: {@code
 * tidemark_webhook_requests_total}) by provider and outcome.
 */
public final class WebhookMetrics {

  static final String NAME = "tidemark.webhook.requests";

  /** Provider tag of requests to a name that is no provider, to keep the tag set closed. */
  static final String UNKNOWN_PROVIDER = "unknown";

  private final MeterRegistry registry;

  public WebhookMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Counts one request. */
  public void record(String providerTag, Outcome outcome) {
    Counter.builder(NAME)
        .description("Incoming webhook requests by provider and outcome")
        .tag("provider", providerTag)
        .tag("outcome", outcome.tag())
        .register(registry)
        .increment();
  }
}
