package io.tidemark.cluster.kubernetes;

import java.util.Optional;

/** A Kubernetes API call failed; carries the server's Status when the server answered one. */
public class KubeApiException extends Exception {

  private final transient ApiStatus status;

  public KubeApiException(String message, ApiStatus status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The server's refusal, absent when the call did not get an answer. */
  public Optional<ApiStatus> status() {
    return Optional.ofNullable(status);
  }
}
