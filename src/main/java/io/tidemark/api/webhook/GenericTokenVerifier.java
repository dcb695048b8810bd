package io.tidemark.api.webhook;

import java.util.Locale;
import java.util.Objects;

/** Checks {@code Authorization: Bearer <secret>}, for scripts and CI jobs that call Tidemark. */
public final class GenericTokenVerifier implements SignatureVerifier {

  static final String HEADER = "Authorization";
  private static final String SCHEME = "bearer ";

  private final WebhookSecret secret;

  public GenericTokenVerifier(WebhookSecret secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  @Override
  public boolean verifies(WebhookRequest request) {
    // The auth scheme is case-insensitive (RFC 9110); the token is not.
    return request
        .header(HEADER)
        .filter(value -> value.toLowerCase(Locale.ROOT).startsWith(SCHEME))
        .map(value -> value.substring(SCHEME.length()).strip())
        .filter(token -> !token.isEmpty())
        .map(token -> Hmac.matchesToken(secret, token))
        .orElse(false);
  }
}
