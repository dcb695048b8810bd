package io.tidemark.diff;

import io.tidemark.model.FieldDiff;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Replaces secret values with a short content hash, so that a report can say a secret changed
 * without saying what it was or is.
 */
public final class SecretMask {

  private static final int PREFIX_CHARS = 12;
  private static final String MASK_PREFIX = "<secret sha256:";

  private SecretMask() {}

  /** {@code <secret sha256:0123456789ab>} for a present value, null for an absent one. */
  public static String mask(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text && text.startsWith(MASK_PREFIX) && text.endsWith(">")) {
      return text; // already masked by the target's own comparison: keep the hash of the real value
    }
    return MASK_PREFIX + sha256(String.valueOf(value)).substring(0, PREFIX_CHARS) + ">";
  }

  public static List<FieldDiff> mask(List<FieldDiff> diffs) {
    return diffs.stream()
        .map(d -> new FieldDiff(d.path(), mask(d.desired()), mask(d.live()), d.changedBy()))
        .toList();
  }

  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
