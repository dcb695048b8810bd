package io.tidemark.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.api.webhook.Delivery.RefPush;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads GitLab deliveries: {@code X-Gitlab-Event} "Push Hook" or "Tag Push Hook" (and system hooks
 * whose payload is a push), payload {@code ref} and {@code checkout_sha} or {@code after}.
 */
final class GitLabDeliveryReader implements DeliveryReader {

  private static final Set<String> PUSH_EVENTS = Set.of("Push Hook", "Tag Push Hook");
  private static final Set<String> PUSH_KINDS = Set.of("push", "tag_push");

  private final JsonPayload json;

  GitLabDeliveryReader(JsonPayload json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public String deliveryId(WebhookRequest request) {
    return request.firstHeader("X-Gitlab-Event-UUID", "Idempotency-Key").orElse("");
  }

  @Override
  public Delivery read(WebhookRequest request) {
    String event =
        request
            .header("X-Gitlab-Event")
            .orElseThrow(() -> new MalformedDeliveryException("X-Gitlab-Event header is missing"));
    boolean systemHook = event.equals("System Hook");
    if (!PUSH_EVENTS.contains(event) && !systemHook) {
      return Delivery.other(event);
    }
    JsonNode body = json.object(request);
    if (systemHook && !PUSH_KINDS.contains(JsonPayload.optionalText(body, "event_name"))) {
      return Delivery.other(event);
    }
    String ref = JsonPayload.requiredText(body, "ref", "push");
    String commit = JsonPayload.optionalText(body, "checkout_sha");
    if (commit.isEmpty()) {
      commit = JsonPayload.optionalText(body, "after");
    }
    return Delivery.push(
        event,
        List.of(
            new RefPush(
                ref,
                commit,
                JsonPayload.texts(
                    body,
                    "/project/git_http_url",
                    "/project/git_ssh_url",
                    "/project/web_url",
                    "/repository/git_http_url",
                    "/repository/git_ssh_url",
                    "/repository/homepage"))));
  }
}
