package io.tidemark.api;

/**
 * A request parameter, header or body that the route cannot accept: answered 400 with the name of
 * the parameter and what is allowed, never 404 or 500.
 */
public final class BadParameterException extends RuntimeException {

  private final String parameter;
  private final String allowed;

  public BadParameterException(String parameter, String value, String allowed) {
    super(parameter + " " + quote(value) + " is not allowed: expected " + allowed);
    this.parameter = parameter;
    this.allowed = allowed;
  }

  public String parameter() {
    return parameter;
  }

  public String allowed() {
    return allowed;
  }

  private static String quote(String value) {
    if (value == null) {
      return "(missing)";
    }
    // Echo a short prefix only: a value is the caller's, but a report must stay readable.
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return "'" + shown + "'";
  }
}
