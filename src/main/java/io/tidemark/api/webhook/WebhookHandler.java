package io.tidemark.api.webhook;

import io.tidemark.api.webhook.Delivery.RefPush;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.PushListener;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Handles one webhook request, failing closed: unknown or secretless providers answer 404, bad
 * signatures 401, and only a verified, new push of a followed ref starts reconciles.
 */
public final class WebhookHandler {

  /** The largest body accepted, 1 MiB, as {@code quarkus.http.limits.max-body-size}. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(WebhookHandler.class);

  private final Map<Provider, Receiver> receivers;
  private final DeliveryLog deliveries;
  private final PushListener listener;
  private final WebhookMetrics metrics;

  public WebhookHandler(
      Map<Provider, Receiver> receivers,
      DeliveryLog deliveries,
      PushListener listener,
      WebhookMetrics metrics) {
    this.receivers = receivers.isEmpty() ? Map.of() : new EnumMap<>(receivers);
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** The answer to a request sent to {@code /api/webhooks/{providerName}}. */
  public WebhookReply handle(String providerName, WebhookRequest request) {
    Optional<Provider> known = Provider.byName(providerName);
    String tag = known.map(Provider::tag).orElse(WebhookMetrics.UNKNOWN_PROVIDER);
    Receiver receiver = known.map(receivers::get).orElse(null);
    if (receiver == null) {
      // Unknown and unconfigured providers look the same from outside: nothing is there.
      return done(tag, "", WebhookReply.error(Outcome.DISABLED, "no such webhook"));
    }
    Provider provider = known.get();
    String id = receiver.reader().deliveryId(request);
    if (request.bodyLength() > MAX_BODY_BYTES) {
      return done(tag, id, WebhookReply.error(Outcome.TOO_LARGE, "body is larger than 1 MiB"));
    }
    if (!receiver.verifier().verifies(request)) {
      return done(
          tag, id, WebhookReply.error(Outcome.UNAUTHORIZED, "signature or token missing or wrong"));
    }
    Delivery delivery;
    try {
      delivery = receiver.reader().read(request);
    } catch (MalformedDeliveryException e) {
      return done(tag, id, WebhookReply.error(Outcome.BAD_REQUEST, e.getMessage()));
    }
    if (!id.isEmpty() && !deliveries.remember(provider, id)) {
      return done(tag, id, WebhookReply.ignored(Outcome.DUPLICATE, "duplicate delivery"));
    }
    return done(tag, id, dispatch(provider, id, delivery), pushed(delivery));
  }

  /** The refs and short commits of a push, for the log line. */
  private static String pushed(Delivery delivery) {
    if (delivery.pushes().isEmpty()) {
      return "";
    }
    return delivery.pushes().stream()
        .map(push -> push.commit().isEmpty() ? push.ref() : push.ref() + "@" + shortCommit(push))
        .collect(Collectors.joining(", ", " for ", ""));
  }

  private static String shortCommit(RefPush push) {
    return push.commit().substring(0, Math.min(12, push.commit().length()));
  }

  private WebhookReply dispatch(Provider provider, String id, Delivery delivery) {
    switch (delivery.kind()) {
      case PING:
        return WebhookReply.ignored(Outcome.IGNORED, "ping");
      case OTHER:
        return WebhookReply.ignored(
            Outcome.IGNORED, "event " + delivery.event() + " is not a push");
      default:
        break;
    }
    if (delivery.pushes().isEmpty()) {
      return WebhookReply.ignored(
          Outcome.IGNORED, "the delivery names no ref that can be followed");
    }
    Trigger trigger = Trigger.webhook(provider.tag(), id);
    Set<String> targets = new LinkedHashSet<>();
    boolean followed = false;
    try {
      for (RefPush push : delivery.pushes()) {
        targets.addAll(listener.pushed(push.repository(), push.ref(), trigger));
        followed |= listener.follows(push.repository(), push.ref());
      }
    } catch (RuntimeException e) {
      // Let the sender's retry through: this delivery did not get its reconciles started.
      if (!id.isEmpty()) {
        deliveries.forget(provider, id);
      }
      throw e;
    }
    if (targets.isEmpty() && followed) {
      return WebhookReply.ignored(
          Outcome.IGNORED, "the push changed no file of any target; nothing to reconcile");
    }
    if (targets.isEmpty()) {
      String refs = delivery.pushes().stream().map(RefPush::ref).collect(Collectors.joining(", "));
      String verb = delivery.pushes().size() == 1 ? "ref " + refs + " is" : "refs " + refs + " are";
      return WebhookReply.ignored(Outcome.IGNORED, verb + " not followed");
    }
    return WebhookReply.triggered(List.copyOf(targets));
  }

  private WebhookReply done(String provider, String id, WebhookReply reply) {
    return done(provider, id, reply, "");
  }

  private WebhookReply done(String provider, String id, WebhookReply reply, String pushed) {
    metrics.record(provider, reply.outcome());
    Logger.Level level =
        switch (reply.outcome()) {
          case IGNORED, DUPLICATE, DISABLED -> Logger.Level.DEBUG;
          default -> Logger.Level.INFO;
        };
    LOG.logf(
        level,
        "webhook %s delivery %s: %s %s%s",
        provider,
        printable(id.isEmpty() ? "-" : id),
        reply.outcome().tag(),
        printable(reply.body().toString()),
        printable(pushed));
    return reply;
  }

  /** The text with control characters replaced and its length capped, safe for one log line. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && i < 200; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > 200 ? out.append("...").toString() : out.toString();
  }
}
