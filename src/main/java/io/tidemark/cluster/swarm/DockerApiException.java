package io.tidemark.cluster.swarm;

import io.tidemark.cluster.TargetException;

/** The engine answered a request with an error status; {@link #status()} tells which. */
public final class DockerApiException extends TargetException {

  private final int status;

  public DockerApiException(int status, String request, String message) {
    super(request + " answered " + status + ": " + message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean notFound() {
    return status == 404;
  }
}
