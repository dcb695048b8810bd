package io.tidemark.api.webhook;

import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GenericTokenVerifierTest {

  private static final String SECRET = "generic-test-token";
  private final GenericTokenVerifier verifier = new GenericTokenVerifier(WebhookSecret.of(SECRET));
  private final byte[] body = payload("generic/ref-main.json");

  @Test
  void acceptsTheRightBearerTokenWhateverTheSchemeCase() {
    assertThat(verifier.verifies(request(body, "Authorization", "Bearer " + SECRET))).isTrue();
    assertThat(verifier.verifies(request(body, "authorization", "bearer " + SECRET))).isTrue();
  }

  @Test
  void refusesAWrongToken() {
    assertThat(verifier.verifies(request(body, "Authorization", "Bearer wrong"))).isFalse();
    assertThat(verifier.verifies(request(body, "Authorization", "Bearer " + SECRET + "!")))
        .isFalse();
  }

  @Test
  void refusesAMissingOrEmptyToken() {
    assertThat(verifier.verifies(request(body))).isFalse();
    assertThat(verifier.verifies(request(body, "Authorization", "Bearer "))).isFalse();
    assertThat(verifier.verifies(request(body, "Authorization", "Bearer"))).isFalse();
  }

  @Test
  void refusesTheTokenUnderAnotherScheme() {
    assertThat(verifier.verifies(request(body, "Authorization", "Basic " + SECRET))).isFalse();
    assertThat(verifier.verifies(request(body, "Authorization", SECRET))).isFalse();
  }
}
