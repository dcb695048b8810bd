package io.tidemark.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.api.webhook.Delivery.RefPush;
import java.util.List;
import java.util.Objects;

/**
 * Reads Gitea, Forgejo and Gogs deliveries: {@code X-Gitea-Event} (or the Forgejo and Gogs names)
 * push, payload {@code ref} and {@code after}.
 */
final class GiteaDeliveryReader implements DeliveryReader {

  private final JsonPayload json;

  GiteaDeliveryReader(JsonPayload json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public String deliveryId(WebhookRequest request) {
    return request
        .firstHeader("X-Gitea-Delivery", "X-Forgejo-Delivery", "X-Gogs-Delivery")
        .orElse("");
  }

  @Override
  public Delivery read(WebhookRequest request) {
    String event =
        request
            .firstHeader("X-Gitea-Event", "X-Forgejo-Event", "X-Gogs-Event")
            .orElseThrow(() -> new MalformedDeliveryException("X-Gitea-Event header is missing"));
    if (!event.equals("push")) {
      return Delivery.other(event);
    }
    JsonNode body = json.object(request);
    String ref = JsonPayload.requiredText(body, "ref", "push");
    return Delivery.push(
        event,
        List.of(
            new RefPush(
                ref,
                JsonPayload.optionalText(body, "after"),
                JsonPayload.texts(
                    body,
                    "/repository/clone_url",
                    "/repository/html_url",
                    "/repository/ssh_url"))));
  }
}
