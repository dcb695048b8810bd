package io.tidemark.desired.sops;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The bytes SOPS feeds its MAC for one plain value: strings as UTF-8, integers in decimal, floats
 * in shortest plain notation, booleans as {@code True}/{@code False}, bytes as they are.
 */
final class MacBytes {

  private MacBytes() {}

  static byte[] of(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    return text(value).getBytes(StandardCharsets.UTF_8);
  }

  static String text(Object value) {
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Double d) {
      if (d.isNaN()) {
        return "NaN";
      }
      if (d.isInfinite()) {
        return d > 0 ? "+Inf" : "-Inf";
      }
      return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return String.valueOf(value);
  }
}
