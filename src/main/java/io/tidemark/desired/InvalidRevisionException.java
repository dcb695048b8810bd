package io.tidemark.desired;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A revision that does not parse or validate; carries every error found, so one report lists them
 * all.
 */
public class InvalidRevisionException extends Exception {

  private final List<RenderError> errors;

  public InvalidRevisionException(List<RenderError> errors) {
    // One cause found by two checks (schema and conversion, say) is one error to the reader.
    this(List.copyOf(new java.util.LinkedHashSet<>(errors)), true);
  }

  private InvalidRevisionException(List<RenderError> distinct, boolean checked) {
    super(distinct.stream().map(RenderError::toString).collect(Collectors.joining("; ")));
    if (distinct.isEmpty()) {
      throw new IllegalArgumentException("an invalid revision has at least one error");
    }
    this.errors = distinct;
  }

  public static InvalidRevisionException of(RenderError error) {
    return new InvalidRevisionException(List.of(error));
  }

  public List<RenderError> errors() {
    return errors;
  }
}
