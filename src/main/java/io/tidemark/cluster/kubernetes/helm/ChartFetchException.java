package io.tidemark.cluster.kubernetes.helm;

/**
 * A chart from a repository or registry could not be had: not found, not answering, refused, or not
 * what its repository said. The message names the repository, never a credential.
 */
public final class ChartFetchException extends Exception {

  public ChartFetchException(String message) {
    super(message);
  }
}
