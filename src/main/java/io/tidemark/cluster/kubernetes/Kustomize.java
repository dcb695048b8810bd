package io.tidemark.cluster.kubernetes;

import java.nio.file.Path;

/** Renders a folder that holds a {@code kustomization.yaml} into multi-document YAML. */
@FunctionalInterface
public interface Kustomize {

  /**
   * @throws KustomizeException when it cannot render, with a message that names the folder
   */
  String render(Path folder) throws KustomizeException;

  /** Rendering a kustomization failed, or no renderer is available. */
  class KustomizeException extends Exception {
    public KustomizeException(String message) {
      super(message);
    }
  }
}
