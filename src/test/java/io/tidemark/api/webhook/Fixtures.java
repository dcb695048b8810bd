package io.tidemark.api.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Test helpers: fixture payloads, requests with headers, and signatures computed as senders do. */
final class Fixtures {

  private Fixtures() {}

  /** The bytes of {@code fixtures/webhooks/<path>}. */
  static byte[] payload(String path) {
    String resource = "/fixtures/webhooks/" + path;
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request with this body and header name/value pairs. */
  static WebhookRequest request(byte[] body, String... nameValuePairs) {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      headers.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return WebhookRequest.of(headers, body);
  }

  /** The lower-case hex HMAC-SHA256 a sender holding {@code secret} puts on {@code body}. */
  static String hmacHex(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key = secret.getBytes(StandardCharsets.UTF_8);
      // HMAC zero-pads its key, so the empty key (which SecretKeySpec refuses) equals one 0 byte.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
