package io.tidemark.desired;

import io.tidemark.model.SourceLocation;
import java.util.Objects;

/** One reason a revision is invalid, with the file and line it was found at. */
public record RenderError(SourceLocation location, String message) {

  public RenderError {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  public static RenderError at(String file, int line, String message) {
    return new RenderError(new SourceLocation(file, line), message);
  }

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
