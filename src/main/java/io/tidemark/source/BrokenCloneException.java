package io.tidemark.source;

/** The local clone is unusable (not a repository, garbage config or refs, missing objects). */
final class BrokenCloneException extends Exception {

  BrokenCloneException(String message, Throwable cause) {
    super(message, cause);
  }
}
