package io.tidemark.api.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A non-empty shared secret of one provider, as UTF-8 bytes; it never prints its value, so it can
 * not leak through a log line or an exception message by accident.
 */
public final class WebhookSecret {

  private final byte[] bytes;

  private WebhookSecret(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The secret with this value; a null, empty or blank value is refused. */
  public static WebhookSecret of(String value) {
    Objects.requireNonNull(value, "secret");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a webhook secret must not be empty");
    }
    return new WebhookSecret(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the secret's bytes. */
  byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    return "WebhookSecret[***]";
  }
}
