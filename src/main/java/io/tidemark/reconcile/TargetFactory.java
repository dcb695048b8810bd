package io.tidemark.reconcile;

import io.tidemark.config.TidemarkConfig.TargetConfig;
import io.tidemark.target.Target;
import io.tidemark.target.kubernetes.Fabric8KubeApi;
import io.tidemark.target.kubernetes.KubectlKustomize;
import io.tidemark.target.kubernetes.KubernetesTarget;
import io.tidemark.target.kubernetes.RetryPolicy;
import io.tidemark.target.kubernetes.RetryingKubeApi;
import io.tidemark.target.swarm.DockerApi;
import io.tidemark.target.swarm.SwarmDiffer;
import io.tidemark.target.swarm.SwarmStackLoader;
import io.tidemark.target.swarm.SwarmTarget;
import java.time.Duration;

/**
 * Builds the {@link Target} a target's configuration names, with its technology's collaborators.
 */
public class TargetFactory {

  private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(30);

  public Target create(String name, TargetConfig config) {
    return switch (config.kind()) {
      case SWARM -> swarm(name, config);
      case KUBERNETES -> kubernetes(name, config);
    };
  }

  private static Target kubernetes(String name, TargetConfig config) {
    return new KubernetesTarget(
        name,
        config.namespace().orElse("default"),
        new RetryingKubeApi(
            Fabric8KubeApi.connect(config.kubeconfig(), config.context()), RetryPolicy.standard()),
        KubectlKustomize.fromPath(CLUSTER_TIMEOUT),
        Duration.ofSeconds(2));
  }

  private static Target swarm(String name, TargetConfig config) {
    String stack = config.stack().orElse(name);
    DockerApi api = DockerApi.connect(config.dockerHost().orElse(null), CLUSTER_TIMEOUT);
    return new SwarmTarget(
        name, stack, api, new SwarmStackLoader(name, stack, config.variables()), new SwarmDiffer());
  }
}
