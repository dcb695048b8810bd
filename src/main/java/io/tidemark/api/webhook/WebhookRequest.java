package io.tidemark.api.webhook;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One incoming webhook request as the verifiers and readers see it: headers by case-insensitive
 * name (first value wins) and the exact body bytes that were signed.
 */
public final class WebhookRequest {

  private final Map<String, String> headers;
  private final byte[] body;

  private WebhookRequest(Map<String, String> headers, byte[] body) {
    this.headers = headers;
    this.body = body;
  }

  /** A request with these headers (names in any case) and body; a null body is empty. */
  public static WebhookRequest of(Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, value) -> byName.putIfAbsent(name, value == null ? "" : value));
    return new WebhookRequest(byName, body == null ? new byte[0] : body);
  }

  /** The value of a header, absent when the header is missing or blank. */
  public Optional<String> header(String name) {
    String value = headers.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** The value of the first of these headers that is present. */
  public Optional<String> firstHeader(String... names) {
    for (String name : names) {
      Optional<String> value = header(name);
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }

  /** The body exactly as received; callers must not modify it. */
  byte[] body() {
    return body;
  }

  /** The body length in bytes. */
  public int bodyLength() {
    return body.length;
  }
}
