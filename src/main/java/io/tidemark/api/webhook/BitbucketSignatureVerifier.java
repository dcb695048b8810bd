package io.tidemark.api.webhook;

import java.util.Objects;

/**
 * Checks Bitbucket's {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>}, which Bitbucket
 * Cloud and Bitbucket Data Center both send when the webhook has a secret.
 */
public final class BitbucketSignatureVerifier implements SignatureVerifier {

  static final String HEADER = "X-Hub-Signature";
  private static final String PREFIX = "sha256=";

  private final WebhookSecret secret;

  public BitbucketSignatureVerifier(WebhookSecret secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  @Override
  public boolean verifies(WebhookRequest request) {
    // Only the sha256 form: a sha1= signature is refused, whatever its value.
    return request
        .header(HEADER)
        .filter(value -> value.startsWith(PREFIX))
        .map(value -> Hmac.matchesHex(secret, request.body(), value.substring(PREFIX.length())))
        .orElse(false);
  }
}
