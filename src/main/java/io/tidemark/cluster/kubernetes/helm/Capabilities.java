package io.tidemark.cluster.kubernetes.helm;

import java.util.Objects;

/**
 * What a chart sees as {@code .Capabilities} of the cluster it renders for: the Kubernetes version
 * the live API server reports ({@code v1.32.12}), empty for Helm's own default when the cluster is
 * not known (e.g. {@code tidemark render} without a kubeconfig). API versions stay Helm's built-in
 * set: helm-java has no option to pass the cluster's.
 */
public record Capabilities(String kubeVersion) {

  public Capabilities {
    Objects.requireNonNull(kubeVersion, "kubeVersion");
  }

  /** Helm's defaults, used when no cluster is asked. */
  public static Capabilities helmDefaults() {
    return new Capabilities("");
  }
}
