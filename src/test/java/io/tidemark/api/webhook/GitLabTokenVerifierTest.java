package io.tidemark.api.webhook;

import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitLabTokenVerifierTest {

  private static final String SECRET = "gitlab-test-token";
  private final GitLabTokenVerifier verifier = new GitLabTokenVerifier(WebhookSecret.of(SECRET));
  private final byte[] body = payload("gitlab/push-main.json");

  @Test
  void acceptsTheRightToken() {
    assertThat(verifier.verifies(request(body, "X-Gitlab-Token", SECRET))).isTrue();
  }

  @Test
  void refusesAWrongToken() {
    assertThat(verifier.verifies(request(body, "X-Gitlab-Token", "gitlab-test-tokeN"))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Gitlab-Token", SECRET + "x"))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Gitlab-Token", SECRET.substring(1)))).isFalse();
  }

  @Test
  void refusesAMissingOrEmptyToken() {
    assertThat(verifier.verifies(request(body))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Gitlab-Token", ""))).isFalse();
  }

  @Test
  void refusesTheTokenInAnotherHeader() {
    assertThat(verifier.verifies(request(body, "Authorization", "Bearer " + SECRET))).isFalse();
  }

  @Test
  void acceptsTheTokenWhateverTheBodySinceGitLabSignsNothing() {
    // GitLab sends the token itself, not a signature: a changed body is still "authentic".
    // This is why the gitlab provider should only be used over HTTPS.
    assertThat(verifier.verifies(request(new byte[] {'{', '}'}, "X-Gitlab-Token", SECRET)))
        .isTrue();
  }
}
