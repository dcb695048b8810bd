package io.tidemark.api.webhook;

import static io.tidemark.api.webhook.Fixtures.hmacHex;
import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.request;
import static io.tidemark.api.webhook.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BitbucketSignatureVerifierTest {

  private static final String SECRET = "bb-test-secret";
  private final Sha256PrefixedVerifier verifier =
      Sha256PrefixedVerifier.bitbucket(WebhookSecret.of(SECRET));
  private final byte[] body = payload("bitbucket/cloud-push-main.json");

  @Test
  void acceptsTheRfc4231Example() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    Sha256PrefixedVerifier rfc = Sha256PrefixedVerifier.bitbucket(WebhookSecret.of("Jefe"));
    WebhookRequest signed =
        request(
            utf8("what do ya want for nothing?"),
            "X-Hub-Signature",
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertThat(rfc.verifies(signed)).isTrue();
  }

  @Test
  void acceptsTheRightSignature() {
    String header = "sha256=" + hmacHex(SECRET, body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature", header))).isTrue();
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() {
    String header = "sha256=" + hmacHex("not-the-secret", body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature", header))).isFalse();
  }

  @Test
  void refusesARequestWithoutSignature() {
    assertThat(verifier.verifies(request(body))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Hub-Signature", ""))).isFalse();
  }

  @Test
  void refusesATamperedBody() {
    String header = "sha256=" + hmacHex(SECRET, body);
    byte[] tampered = Arrays.copyOf(body, body.length + 1);
    tampered[body.length] = ' ';
    assertThat(verifier.verifies(request(tampered, "X-Hub-Signature", header))).isFalse();
  }

  @Test
  void refusesOtherAlgorithmsAndAnEmptySecret() {
    String hex = hmacHex(SECRET, body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature", "sha1=" + hex))).isFalse();
    assertThat(verifier.verifies(request(body, "X-Hub-Signature", hex))).isFalse();
    String emptyKeyed = "sha256=" + hmacHex("", body);
    assertThat(verifier.verifies(request(body, "X-Hub-Signature", emptyKeyed))).isFalse();
  }
}
