package io.tidemark.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.api.webhook.Delivery.RefPush;
import java.util.List;
import java.util.Objects;

/** Reads GitHub deliveries: {@code X-GitHub-Event} push or ping, push payload {@code ref}. */
final class GitHubDeliveryReader implements DeliveryReader {

  private final JsonPayload json;

  GitHubDeliveryReader(JsonPayload json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public String deliveryId(WebhookRequest request) {
    return request.header("X-GitHub-Delivery").orElse("");
  }

  @Override
  public Delivery read(WebhookRequest request) {
    String event =
        request
            .header("X-GitHub-Event")
            .orElseThrow(() -> new MalformedDeliveryException("X-GitHub-Event header is missing"));
    return switch (event) {
      case "ping" -> Delivery.ping(event);
      case "push" -> {
        JsonNode body = json.object(request);
        String ref = JsonPayload.requiredText(body, "ref", "push");
        yield Delivery.push(
            event,
            List.of(
                new RefPush(
                    ref,
                    JsonPayload.optionalText(body, "after"),
                    JsonPayload.texts(
                        body,
                        "/repository/clone_url",
                        "/repository/html_url",
                        "/repository/ssh_url",
                        "/repository/git_url"))));
      }
      default -> Delivery.other(event);
    };
  }
}
