package io.tidemark.api.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses a webhook body into a JSON object, from {@code application/json} or from the {@code
 * payload} field that GitHub and Gitea send when the hook uses form encoding.
 */
final class JsonPayload {

  private static final String FORM = "application/x-www-form-urlencoded";

  private final ObjectMapper mapper = new ObjectMapper();

  /** The body as a JSON object. */
  JsonNode object(WebhookRequest request) {
    String contentType = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    byte[] json = contentType.startsWith(FORM) ? formPayload(request.body()) : request.body();
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JacksonException e) {
      throw new MalformedDeliveryException("body is not valid JSON");
    } catch (IOException e) {
      throw new MalformedDeliveryException("body cannot be read");
    }
    if (node == null || !node.isObject()) {
      throw new MalformedDeliveryException("body is not a JSON object");
    }
    return node;
  }

  /** A string field that must be present and non-blank. */
  static String requiredText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new MalformedDeliveryException(where + "." + field + " is missing or not a string");
    }
    return value.asText();
  }

  /** A string field, or empty when it is absent, null or not a string. */
  static String optionalText(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : "";
  }

  /**
   * The strings found at {@code pointers} (JSON pointers such as {@code /repository/clone_url}); an
   * array on the way contributes each element's value. Absent ones are skipped.
   */
  static List<String> texts(JsonNode node, String... pointers) {
    List<String> out = new ArrayList<>();
    for (String pointer : pointers) {
      collect(node, pointer, out);
    }
    return out;
  }

  private static void collect(JsonNode node, String pointer, List<String> out) {
    if (pointer.isEmpty()) {
      if (node.isTextual() && !node.asText().isBlank()) {
        out.add(node.asText());
      }
      return;
    }
    if (node.isArray()) {
      node.forEach(element -> collect(element, pointer, out));
      return;
    }
    int next = pointer.indexOf('/', 1);
    String field = next < 0 ? pointer.substring(1) : pointer.substring(1, next);
    JsonNode child = node.path(field);
    if (!child.isMissingNode()) {
      collect(child, next < 0 ? "" : pointer.substring(next), out);
    }
  }

  private static byte[] formPayload(byte[] body) {
    for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
      if (pair.startsWith("payload=")) {
        try {
          String value = URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
          return value.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new MalformedDeliveryException("form field payload is not URL-encoded");
        }
      }
    }
    throw new MalformedDeliveryException("form body has no payload field");
  }
}
