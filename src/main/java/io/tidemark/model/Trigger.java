package io.tidemark.model;

import java.util.Objects;

/** Why a reconcile ran: the poll timer, a webhook delivery, an API call or the CLI. */
public record Trigger(Source source, String provider, String deliveryId) {

  public Trigger {
    Objects.requireNonNull(source, "source");
    provider = provider == null ? "" : provider;
    deliveryId = deliveryId == null ? "" : deliveryId;
  }

  public static Trigger poll() {
    return new Trigger(Source.POLL, "", "");
  }

  public static Trigger api() {
    return new Trigger(Source.API, "", "");
  }

  public static Trigger cli() {
    return new Trigger(Source.CLI, "", "");
  }

  public static Trigger webhook(String provider, String deliveryId) {
    return new Trigger(Source.WEBHOOK, provider, deliveryId);
  }

  /** The closed set of trigger sources. */
  public enum Source {
    POLL,
    WEBHOOK,
    API,
    CLI
  }
}
