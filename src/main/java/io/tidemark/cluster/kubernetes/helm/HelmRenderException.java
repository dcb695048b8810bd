package io.tidemark.cluster.kubernetes.helm;

/** Helm refused to template a release; the message is Helm's own (template name and line). */
public final class HelmRenderException extends Exception {

  public HelmRenderException(String message) {
    super(message);
  }
}
