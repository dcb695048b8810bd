package io.tidemark.api.webhook;

import java.util.Objects;

/** Checks GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}. */
public final class GitHubSignatureVerifier implements SignatureVerifier {

  static final String HEADER = "X-Hub-Signature-256";
  private static final String PREFIX = "sha256=";

  private final WebhookSecret secret;

  public GitHubSignatureVerifier(WebhookSecret secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  @Override
  public boolean verifies(WebhookRequest request) {
    return request
        .header(HEADER)
        .filter(value -> value.startsWith(PREFIX))
        .map(value -> Hmac.matchesHex(secret, request.body(), value.substring(PREFIX.length())))
        .orElse(false);
  }
}
