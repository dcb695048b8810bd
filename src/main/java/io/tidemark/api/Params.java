package io.tidemark.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reads the API's query and path parameters strictly: a value that does not fit is a 400. */
final class Params {

  static final int MAX_LIMIT = 500;
  static final int MAX_WAIT_SECONDS = 600;
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private Params() {}

  /** An integer in {@code [min, max]}, or {@code absent} when the parameter is not given. */
  static int integer(String name, String value, int absent, int min, int max) {
    if (value == null) {
      return absent;
    }
    String allowed = "an integer from " + min + " to " + max;
    if (value.isBlank() || value.length() > 10 || !value.strip().matches("-?[0-9]+")) {
      throw new BadParameterException(name, value, allowed);
    }
    long parsed = Long.parseLong(value.strip());
    if (parsed < min || parsed > max) {
      throw new BadParameterException(name, value, allowed);
    }
    return (int) parsed;
  }

  /** An ISO-8601 instant such as {@code 2026-01-31T12:00:00Z}, or null when not given. */
  static Instant instant(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new BadParameterException(
          name, value, "an ISO-8601 instant in UTC, such as 2026-01-31T12:00:00Z");
    }
  }

  /** A run id as the history lists it (letters, digits, '.', '_', '-'). */
  static String runId(String value) {
    if (value == null || !RUN_ID.matcher(value).matches()) {
      throw new BadParameterException(
          "id", value, "a run id as GET /api/targets/{name}/runs lists it");
    }
    return value;
  }
}
