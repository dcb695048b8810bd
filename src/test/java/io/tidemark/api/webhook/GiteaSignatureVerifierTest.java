package io.tidemark.api.webhook;

import static io.tidemark.api.webhook.Fixtures.hmacHex;
import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GiteaSignatureVerifierTest {

  private static final String SECRET = "gitea-test-secret";
  private final GiteaSignatureVerifier verifier =
      new GiteaSignatureVerifier(WebhookSecret.of(SECRET));
  private final byte[] body = payload("gitea/push-main.json");

  @ParameterizedTest
  @ValueSource(strings = {"X-Gitea-Signature", "X-Forgejo-Signature", "X-Gogs-Signature"})
  void acceptsTheBareHexSignatureInEachForgesHeader(String header) {
    assertThat(verifier.verifies(request(body, header, hmacHex(SECRET, body)))).isTrue();
  }

  @Test
  void acceptsForgejoSendingBothItsOwnAndGiteasHeader() {
    String hex = hmacHex(SECRET, body);
    WebhookRequest both = request(body, "X-Forgejo-Signature", hex, "X-Gitea-Signature", hex);
    assertThat(verifier.verifies(both)).isTrue();
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() {
    assertThat(verifier.verifies(request(body, "X-Gitea-Signature", hmacHex("other", body))))
        .isFalse();
  }

  @Test
  void refusesARequestWithoutSignature() {
    assertThat(verifier.verifies(request(body))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Gitea-Signature", ""))).isFalse();
    // GitHub's header name alone is not one of the forge headers.
    String prefixed = "sha256=" + hmacHex(SECRET, body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", prefixed))).isFalse();
  }

  @Test
  void refusesATamperedBody() {
    String hex = hmacHex(SECRET, body);
    byte[] tampered = Arrays.copyOf(body, body.length);
    tampered[tampered.length - 3] ^= 4;
    assertThat(verifier.verifies(request(tampered, "X-Gitea-Signature", hex))).isFalse();
  }

  @Test
  void refusesASignatureMadeWithAnEmptySecret() {
    assertThat(verifier.verifies(request(body, "X-Gogs-Signature", hmacHex("", body)))).isFalse();
  }
}
