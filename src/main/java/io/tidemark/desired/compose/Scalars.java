package io.tidemark.desired.compose;

import java.math.BigDecimal;

/** Formats YAML scalars as the docker CLI's Go code prints them ({@code fmt.Sprint}). */
public final class Scalars {

  private Scalars() {}

  /** A scalar as text: numbers without a needless fraction, booleans as true/false. */
  public static String text(Object value) {
    if (value instanceof Double d) {
      if (d.isInfinite()) {
        return d > 0 ? "+Inf" : "-Inf";
      }
      if (d.isNaN()) {
        return "NaN";
      }
      BigDecimal exact = BigDecimal.valueOf(d).stripTrailingZeros();
      return exact.scale() <= 0 ? exact.toBigInteger().toString() : exact.toPlainString();
    }
    return String.valueOf(value);
  }

  public static boolean isScalar(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }
}
