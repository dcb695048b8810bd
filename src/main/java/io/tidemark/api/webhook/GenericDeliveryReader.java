package io.tidemark.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.api.webhook.Delivery.RefPush;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads Tidemark's own webhook: an optional JSON body {@code {"ref": "refs/heads/main"}}; without a
 * ref it stands for a push to the ref the Git source follows.
 */
final class GenericDeliveryReader implements DeliveryReader {

  static final String EVENT = "push";

  private final JsonPayload json;
  private final Optional<String> followedRef;

  /**
   * @param followedRef the full ref the Git source follows; empty when it is pinned to a commit
   */
  GenericDeliveryReader(JsonPayload json, Optional<String> followedRef) {
    this.json = Objects.requireNonNull(json, "json");
    this.followedRef = Objects.requireNonNull(followedRef, "followedRef");
  }

  /** The full ref a source configured with this tag, commit and branch follows, if any. */
  static Optional<String> followedRef(
      Optional<String> tag, Optional<String> commit, String branch) {
    if (tag.isPresent()) {
      return Optional.of(full("refs/tags/", tag.get()));
    }
    if (commit.isPresent()) {
      // A pinned commit follows no ref: no push can move it.
      return Optional.empty();
    }
    return Optional.of(full("refs/heads/", branch));
  }

  @Override
  public String deliveryId(WebhookRequest request) {
    return request.header("X-Tidemark-Delivery").orElse("");
  }

  @Override
  public Delivery read(WebhookRequest request) {
    if (isBlank(request.body())) {
      return pushOf(followedRef);
    }
    JsonNode body = json.object(request);
    JsonNode ref = body.get("ref");
    if (ref == null || ref.isNull()) {
      return pushOf(followedRef);
    }
    if (!ref.isTextual() || !ref.asText().startsWith("refs/") || ref.asText().length() <= 5) {
      throw new MalformedDeliveryException("ref must be a full ref name such as refs/heads/main");
    }
    List<String> repository = JsonPayload.texts(body, "/repository");
    return Delivery.push(EVENT, List.of(new RefPush(ref.asText(), "", repository)));
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static Delivery pushOf(Optional<String> ref) {
    return Delivery.push(EVENT, ref.map(r -> List.of(new RefPush(r, ""))).orElse(List.of()));
  }

  private static String full(String prefix, String name) {
    return name.startsWith("refs/") ? name : prefix + name;
  }
}
