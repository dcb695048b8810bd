package io.tidemark.api.webhook;

import java.util.Objects;

/** Checks GitLab's {@code X-Gitlab-Token}, which carries the secret token itself. */
public final class GitLabTokenVerifier implements SignatureVerifier {

  static final String HEADER = "X-Gitlab-Token";

  private final WebhookSecret secret;

  public GitLabTokenVerifier(WebhookSecret secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  @Override
  public boolean verifies(WebhookRequest request) {
    return request.header(HEADER).map(token -> Hmac.matchesToken(secret, token)).orElse(false);
  }
}
