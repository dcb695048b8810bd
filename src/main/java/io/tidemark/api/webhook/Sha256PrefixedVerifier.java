package io.tidemark.api.webhook;

import java.util.Objects;

/**
 * Checks a {@code sha256=<hex HMAC-SHA256 of the body>} header: GitHub sends it as {@code
 * X-Hub-Signature-256}, Bitbucket Cloud and Data Center as {@code X-Hub-Signature}. Only the sha256
 * form is accepted: a {@code sha1=} signature is refused, whatever its value.
 */
public final class Sha256PrefixedVerifier implements SignatureVerifier {

  private static final String PREFIX = "sha256=";

  private final String header;
  private final WebhookSecret secret;

  private Sha256PrefixedVerifier(String header, WebhookSecret secret) {
    this.header = Objects.requireNonNull(header, "header");
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  public static Sha256PrefixedVerifier github(WebhookSecret secret) {
    return new Sha256PrefixedVerifier("X-Hub-Signature-256", secret);
  }

  public static Sha256PrefixedVerifier bitbucket(WebhookSecret secret) {
    return new Sha256PrefixedVerifier("X-Hub-Signature", secret);
  }

  @Override
  public boolean verifies(WebhookRequest request) {
    return request
        .header(header)
        .filter(value -> value.startsWith(PREFIX))
        .map(value -> Hmac.matchesHex(secret, request.body(), value.substring(PREFIX.length())))
        .orElse(false);
  }
}
