package io.tidemark.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSecretTest {

  @Test
  void refusesAnEmptyOrBlankSecret() {
    assertThatThrownBy(() -> WebhookSecret.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSecret.of(" \n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSecret.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void neverPrintsItsValue() {
    assertThat(WebhookSecret.of("hunter2-very-secret").toString()).doesNotContain("hunter2");
  }
}
