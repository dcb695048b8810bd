package io.tidemark.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.api.webhook.Delivery.RefPush;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads Bitbucket deliveries: Cloud's {@code repo:push} ({@code push.changes[].new}, a branch or
 * tag name) and Data Center's {@code repo:refs_changed} ({@code changes[].ref.id}); every changed
 * ref is one push.
 */
final class BitbucketDeliveryReader implements DeliveryReader {

  private final JsonPayload json;

  BitbucketDeliveryReader(JsonPayload json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public String deliveryId(WebhookRequest request) {
    return request.firstHeader("X-Request-UUID", "X-Request-Id").orElse("");
  }

  @Override
  public Delivery read(WebhookRequest request) {
    String event =
        request
            .header("X-Event-Key")
            .orElseThrow(() -> new MalformedDeliveryException("X-Event-Key header is missing"));
    return switch (event) {
      case "repo:push" -> Delivery.push(event, cloudPushes(json.object(request)));
      case "repo:refs_changed" -> Delivery.push(event, serverPushes(json.object(request)));
      case "diagnostics:ping" -> Delivery.ping(event);
      default -> Delivery.other(event);
    };
  }

  private static List<RefPush> cloudPushes(JsonNode body) {
    JsonNode changes = body.path("push").path("changes");
    if (!changes.isArray()) {
      throw new MalformedDeliveryException("push.changes is missing or not an array");
    }
    List<RefPush> pushes = new ArrayList<>();
    for (JsonNode change : changes) {
      // A deleted branch or tag has no "new" state; its old name is the ref that changed.
      JsonNode state = change.path("new").isObject() ? change.path("new") : change.path("old");
      if (!state.isObject()) {
        throw new MalformedDeliveryException("push.changes[] has neither new nor old");
      }
      String name = JsonPayload.requiredText(state, "name", "push.changes[].new");
      String type = JsonPayload.requiredText(state, "type", "push.changes[].new");
      String prefix =
          switch (type) {
            case "branch" -> "refs/heads/";
            case "tag" -> "refs/tags/";
            default -> null;
          };
      // Mercurial named branches and bookmarks are not Git refs; nothing can follow them.
      if (prefix != null) {
        String commit = JsonPayload.optionalText(change.path("new").path("target"), "hash");
        pushes.add(new RefPush(prefix + name, commit, repository(body)));
      }
    }
    return pushes;
  }

  /** Cloud names the repository by its web link; Server by its clone links. */
  private static List<String> repository(JsonNode body) {
    return JsonPayload.texts(body, "/repository/links/html/href", "/repository/links/clone/href");
  }

  private static List<RefPush> serverPushes(JsonNode body) {
    JsonNode changes = body.path("changes");
    if (!changes.isArray()) {
      throw new MalformedDeliveryException("changes is missing or not an array");
    }
    List<RefPush> pushes = new ArrayList<>();
    for (JsonNode change : changes) {
      String ref = JsonPayload.requiredText(change.path("ref"), "id", "changes[].ref");
      pushes.add(new RefPush(ref, JsonPayload.optionalText(change, "toHash"), repository(body)));
    }
    return pushes;
  }
}
