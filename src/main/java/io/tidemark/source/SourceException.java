package io.tidemark.source;

/**
 * Fetching or checking out failed: unreachable remote, bad credentials, missing ref, broken clone.
 */
public class SourceException extends Exception {

  public SourceException(String message) {
    super(message);
  }

  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
