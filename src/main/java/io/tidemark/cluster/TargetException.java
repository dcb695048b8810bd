package io.tidemark.cluster;

/** A cluster could not be read or written as a whole (unreachable, refused, timed out). */
public class TargetException extends Exception {

  public TargetException(String message) {
    super(message);
  }

  public TargetException(String message, Throwable cause) {
    super(message, cause);
  }
}
