package io.tidemark.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Constant-time checks of HMAC-SHA256 hex signatures and of plain shared tokens. */
final class Hmac {

  private Hmac() {}

  /** Whether {@code hex} is the HMAC-SHA256 of {@code body} under {@code secret}, in any case. */
  static boolean matchesHex(WebhookSecret secret, byte[] body, String hex) {
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException notHex) {
      return false;
    }
    return MessageDigest.isEqual(sha256Mac(secret, body), given);
  }

  /** Whether {@code token} equals the secret; comparing digests hides the secret's length too. */
  static boolean matchesToken(WebhookSecret secret, String token) {
    return MessageDigest.isEqual(
        sha256(secret.bytes()), sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** The HMAC-SHA256 of {@code body} under {@code secret}. */
  static byte[] sha256Mac(WebhookSecret secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      // Every Java runtime ships HmacSHA256; reaching this means a broken JDK.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
