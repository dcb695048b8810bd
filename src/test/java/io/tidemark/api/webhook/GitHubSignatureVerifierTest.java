package io.tidemark.api.webhook;

import static io.tidemark.api.webhook.Fixtures.hmacHex;
import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.request;
import static io.tidemark.api.webhook.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GitHubSignatureVerifierTest {

  private static final String SECRET = "gh-test-secret";
  private final Sha256PrefixedVerifier verifier =
      Sha256PrefixedVerifier.github(WebhookSecret.of(SECRET));
  private final byte[] body = payload("github/push-main.json");

  @Test
  void acceptsTheExampleThatGitHubDocuments() {
    // GitHub's documentation: secret "It's a Secret to Everybody", payload "Hello, World!".
    Sha256PrefixedVerifier documented =
        Sha256PrefixedVerifier.github(WebhookSecret.of("It's a Secret to Everybody"));
    WebhookRequest signed =
        request(
            utf8("Hello, World!"),
            "X-Hub-Signature-256",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    assertThat(documented.verifies(signed)).isTrue();
  }

  @Test
  void acceptsTheRightSignatureInAnyHexCase() {
    String hex = hmacHex(SECRET, body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", "sha256=" + hex))).isTrue();
    assertThat(
            verifier.verifies(request(body, "x-hub-signature-256", "sha256=" + hex.toUpperCase())))
        .isTrue();
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() {
    String hex = hmacHex("another-secret", body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", "sha256=" + hex))).isFalse();
  }

  @Test
  void refusesARequestWithoutSignature() {
    assertThat(verifier.verifies(request(body))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", ""))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", "sha256="))).isFalse();
  }

  @Test
  void refusesATamperedBody() {
    String hex = hmacHex(SECRET, body);
    byte[] tampered = Arrays.copyOf(body, body.length);
    tampered[10] ^= 1;
    assertThat(verifier.verifies(request(tampered, "X-Hub-Signature-256", "sha256=" + hex)))
        .isFalse();
  }

  @Test
  void refusesTheRightHexWithoutItsPrefixOrInTheSha1Header() {
    String hex = hmacHex(SECRET, body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", hex))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Hub-Signature", "sha256=" + hex))).isFalse();
  }

  @Test
  void refusesASignatureMadeWithAnEmptySecret() {
    String hex = hmacHex("", body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", "sha256=" + hex))).isFalse();
  }

  @Test
  void refusesGarbageThatIsNotHex() {
    assertThat(verifier.verifies(request(body, "X-Hub-Signature-256", "sha256=zz-not-hex")))
        .isFalse();
  }
}
