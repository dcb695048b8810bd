package io.tidemark.cluster.swarm;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses compose units as the docker CLI does: Go durations ({@code 1m30s}) into nanoseconds, sizes
 * ({@code 512M}, binary multiples) into bytes, and CPU counts ({@code 0.5}) into nano-CPUs.
 */
final class Units {

  private static final Pattern DURATION_PART =
      Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, BigDecimal> DURATION_UNITS =
      Map.of(
          "ns", BigDecimal.ONE,
          "us", BigDecimal.valueOf(1_000L),
          "µs", BigDecimal.valueOf(1_000L),
          "ms", BigDecimal.valueOf(1_000_000L),
          "s", BigDecimal.valueOf(1_000_000_000L),
          "m", BigDecimal.valueOf(60_000_000_000L),
          "h", BigDecimal.valueOf(3_600_000_000_000L));
  private static final Pattern SIZE =
      Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
  private static final String SIZE_UNITS = "kmgtp";

  private Units() {}

  /** Nanoseconds of a Go duration string such as {@code 1m30s}, {@code 10s} or {@code 0}. */
  static long durationNanos(Object value) {
    String text = String.valueOf(value).strip();
    boolean negative = text.startsWith("-");
    if (negative || text.startsWith("+")) {
      text = text.substring(1);
    }
    if (text.equals("0")) {
      return 0;
    }
    Matcher part = DURATION_PART.matcher(text);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (at < text.length()) {
      if (!part.find(at)
          || part.start() != at
          || part.group(1).isEmpty()
          || part.group(1).equals(".")) {
        throw new IllegalArgumentException("invalid duration \"" + value + "\"");
      }
      total = total.add(new BigDecimal(part.group(1)).multiply(DURATION_UNITS.get(part.group(2))));
      at = part.end();
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("invalid duration \"" + value + "\"");
    }
    long nanos = total.longValue();
    return negative ? -nanos : nanos;
  }

  /** Bytes of a size: a number, or a string such as {@code 512M} or {@code 1.5gb}. */
  static long bytes(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    Matcher m = SIZE.matcher(String.valueOf(value).strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid size \"" + value + "\"");
    }
    BigDecimal size = new BigDecimal(m.group(1));
    if (m.group(2) != null) {
      int power = SIZE_UNITS.indexOf(m.group(2).toLowerCase()) + 1;
      size = size.multiply(BigDecimal.valueOf(1024).pow(power));
    }
    return size.longValue();
  }

  /** Nano-CPUs of a CPU count such as {@code 0.5} or {@code "2"}. */
  static long nanoCpus(Object value) {
    try {
      BigDecimal nanos = new BigDecimal(String.valueOf(value).strip()).movePointRight(9);
      if (nanos.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException("value is too precise");
      }
      return nanos.longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("invalid CPU count \"" + value + "\"");
    }
  }

  /** A whole number from a YAML integer or an interpolated numeric string. */
  static long integer(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(value).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid integer \"" + value + "\"");
    }
  }

  static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid number \"" + value + "\"");
    }
  }

  static boolean bool(Object value) {
    return value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value));
  }
}
