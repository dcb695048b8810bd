package io.tidemark.api.webhook;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The answer to one webhook request: its outcome (which fixes the status) and its JSON body. */
public record WebhookReply(Outcome outcome, Map<String, Object> body) {

  public WebhookReply {
    Objects.requireNonNull(outcome, "outcome");
    body = Map.copyOf(body);
  }

  static WebhookReply triggered(List<String> targets) {
    return new WebhookReply(Outcome.TRIGGERED, Map.of("triggered", List.copyOf(targets)));
  }

  static WebhookReply ignored(Outcome outcome, String why) {
    return new WebhookReply(outcome, Map.of("ignored", why));
  }

  static WebhookReply error(Outcome outcome, String why) {
    return new WebhookReply(outcome, Map.of("error", why));
  }

  /** The targets this delivery started, empty unless {@link Outcome#TRIGGERED}. */
  public List<String> triggered() {
    return body.get("triggered") instanceof List<?> names
        ? names.stream().map(String::valueOf).toList()
        : List.of();
  }

  /** The HTTP status. */
  public int status() {
    return outcome.status();
  }
}
