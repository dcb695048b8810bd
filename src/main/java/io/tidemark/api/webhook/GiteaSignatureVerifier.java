package io.tidemark.api.webhook;

import java.util.List;
import java.util.Objects;

/**
 * Checks the bare hex HMAC-SHA256 of the body that Gitea sends as {@code X-Gitea-Signature},
 * Forgejo as {@code X-Forgejo-Signature} and Gogs as {@code X-Gogs-Signature}.
 */
public final class GiteaSignatureVerifier implements SignatureVerifier {

  static final List<String> HEADERS =
      List.of("X-Gitea-Signature", "X-Forgejo-Signature", "X-Gogs-Signature");

  private final WebhookSecret secret;

  public GiteaSignatureVerifier(WebhookSecret secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  @Override
  public boolean verifies(WebhookRequest request) {
    // Forgejo sends its own header and Gitea's with the same value: any valid one proves the body.
    for (String header : HEADERS) {
      boolean valid =
          request
              .header(header)
              .map(value -> Hmac.matchesHex(secret, request.body(), value))
              .orElse(false);
      if (valid) {
        return true;
      }
    }
    return false;
  }
}
