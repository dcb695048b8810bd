package io.tidemark.cluster.kubernetes;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rule that tells a controller's field manager from a person's: fields owned by a manager whose
 * name matches one of these globs ({@code *} any run of characters) are the cluster's own business
 * (status, {@code deployment.kubernetes.io/revision}, an autoscaler's replicas, a rollout restart)
 * and never drift; fields that any other manager added to an owned object are drift.
 */
public final class ControllerManagers {

  /**
   * Managers seen writing to objects on a kube-apiserver v1.32 with kube-controller-manager: the
   * control plane itself, controllers named {@code *-controller}, and {@code kubectl rollout
   * restart}, whose annotation is a request to the controller, not configuration.
   */
  public static final List<String> DEFAULT_GLOBS =
      List.of(
          "kube-controller-manager",
          "kube-apiserver",
          "kube-scheduler",
          "kubelet",
          "*-controller",
          "*-controller-manager",
          "kubectl-rollout");

  private final List<String> globs;
  private final List<Pattern> patterns;

  public ControllerManagers(List<String> globs) {
    this.globs = List.copyOf(Objects.requireNonNull(globs, "globs"));
    this.patterns = this.globs.stream().map(g -> toRegex(g.trim())).toList();
  }

  public List<String> globs() {
    return globs;
  }

  public static ControllerManagers defaults() {
    return new ControllerManagers(DEFAULT_GLOBS);
  }

  /** Whether {@code manager} counts as a controller. */
  public boolean matches(String manager) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(manager).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
