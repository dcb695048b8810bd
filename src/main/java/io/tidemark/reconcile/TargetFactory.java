package io.tidemark.reconcile;

import io.tidemark.cluster.Target;
import io.tidemark.cluster.kubernetes.ControllerManagers;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubectlKustomize;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.cluster.kubernetes.RetryPolicy;
import io.tidemark.cluster.kubernetes.RetryingKubeApi;
import io.tidemark.cluster.kubernetes.helm.ChartSource;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.config.TidemarkConfig.TargetConfig;
import io.tidemark.desired.sops.SopsDecryptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link Target} a target's configuration names, with its technology's collaborators.
 * Targets on the same Docker host, or on the same kubeconfig and context, share one client (its
 * connections, threads and discovery cache), so that threads and memory do not grow with the number
 * of targets; the clients close with the factory.
 */
public class TargetFactory implements AutoCloseable {

  private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(30);

  /** Kubernetes calls in flight at once when not configured (the CLI's default). */
  public static final int DEFAULT_CONCURRENCY = 8;

  private final SopsDecryptor sops;
  private final ChartSource charts;
  private final Map<String, DockerApi> engines = new ConcurrentHashMap<>();
  private final Map<List<Optional<String>>, Fabric8KubeApi> clusters = new ConcurrentHashMap<>();

  public TargetFactory() {
    this(SopsDecryptor.withoutKeys());
  }

  /** A factory whose targets decrypt SOPS files with {@code sops}; local Helm charts only. */
  public TargetFactory(SopsDecryptor sops) {
    this(sops, ChartSource.none());
  }

  /**
   * A factory whose targets decrypt SOPS files with {@code sops} and take Helm charts from
   * repositories and registries through {@code charts} (one cache shared by all targets).
   */
  public TargetFactory(SopsDecryptor sops, ChartSource charts) {
    this.sops = sops;
    this.charts = charts;
  }

  public Target create(String name, TargetConfig config) {
    return switch (config.kind()) {
      case SWARM -> swarm(name, config);
      case KUBERNETES -> kubernetes(name, config);
    };
  }

  private Target kubernetes(String name, TargetConfig config) {
    Fabric8KubeApi client =
        clusters.computeIfAbsent(
            List.of(config.kubeconfig(), config.context()),
            key -> Fabric8KubeApi.connect(config.kubeconfig(), config.context()));
    return kubernetes(
        name,
        config.namespace().orElse("default"),
        client,
        config.crdEstablishedTimeout(),
        new ControllerManagers(config.controllerManagers()),
        sops,
        charts,
        config.concurrency());
  }

  private Target swarm(String name, TargetConfig config) {
    String stack = config.stack().orElse(name);
    DockerApi engine =
        engines.computeIfAbsent(
            DockerApi.resolve(config.dockerHost().orElse(null)).toString(),
            host -> DockerApi.connect(host, CLUSTER_TIMEOUT));
    return swarm(name, stack, engine, config.variables(), config.adopt(), sops);
  }

  /** How many clients the targets built so far share: Docker engines, then Kubernetes clusters. */
  public List<Integer> clients() {
    return List.of(engines.size(), clusters.size());
  }

  @Override
  public void close() {
    engines.values().forEach(DockerApi::close);
    clusters.values().forEach(Fabric8KubeApi::close);
    engines.clear();
    clusters.clear();
  }

  /**
   * A Kubernetes target; the kubeconfig and context default to the usual lookup, the namespace to
   * {@code default}.
   */
  public static Target kubernetes(
      String name,
      Optional<String> namespace,
      Optional<String> kubeconfig,
      Optional<String> context) {
    return kubernetes(
        name,
        namespace,
        kubeconfig,
        context,
        KubernetesTarget.DEFAULT_CRD_TIMEOUT,
        ControllerManagers.defaults(),
        SopsDecryptor.withoutKeys());
  }

  /**
   * A Kubernetes target whose applies wait up to {@code crdTimeout} for the CRDs they write to be
   * Established, whose {@code controllers} are the field managers that are not drift, and whose
   * SOPS manifests are decrypted in memory with {@code sops}.
   */
  public static Target kubernetes(
      String name,
      Optional<String> namespace,
      Optional<String> kubeconfig,
      Optional<String> context,
      Duration crdTimeout,
      ControllerManagers controllers,
      SopsDecryptor sops) {
    return kubernetes(
        name,
        namespace,
        kubeconfig,
        context,
        crdTimeout,
        controllers,
        sops,
        ChartSource.none(),
        DEFAULT_CONCURRENCY);
  }

  /**
   * As above, with Helm charts from repositories and registries through {@code charts}, and {@code
   * concurrency} dry-runs or writes of one kind rank in flight at once.
   */
  public static Target kubernetes(
      String name,
      Optional<String> namespace,
      Optional<String> kubeconfig,
      Optional<String> context,
      Duration crdTimeout,
      ControllerManagers controllers,
      SopsDecryptor sops,
      ChartSource charts,
      int concurrency) {
    return kubernetes(
        name,
        namespace.orElse("default"),
        Fabric8KubeApi.connect(kubeconfig, context),
        crdTimeout,
        controllers,
        sops,
        charts,
        concurrency);
  }

  private static Target kubernetes(
      String name,
      String namespace,
      Fabric8KubeApi client,
      Duration crdTimeout,
      ControllerManagers controllers,
      SopsDecryptor sops,
      ChartSource charts,
      int concurrency) {
    return new KubernetesTarget(
        name,
        namespace,
        new RetryingKubeApi(client, RetryPolicy.standard()),
        KubectlKustomize.fromPath(CLUSTER_TIMEOUT),
        Duration.ofSeconds(2),
        crdTimeout,
        controllers,
        sops,
        charts,
        concurrency);
  }

  /** A Swarm target for one stack; a null {@code dockerHost} means DOCKER_HOST, else the socket. */
  public static Target swarm(
      String name, String stack, String dockerHost, Map<String, String> variables) {
    return swarm(name, stack, dockerHost, variables, false, SopsDecryptor.withoutKeys());
  }

  /**
   * A Swarm target that, when {@code adopt}, takes over what {@code docker stack deploy} made of
   * the stack, and decrypts the stack's SOPS files with {@code sops}.
   */
  public static Target swarm(
      String name,
      String stack,
      String dockerHost,
      Map<String, String> variables,
      boolean adopt,
      SopsDecryptor sops) {
    return swarm(
        name, stack, DockerApi.connect(dockerHost, CLUSTER_TIMEOUT), variables, adopt, sops);
  }

  private static Target swarm(
      String name,
      String stack,
      DockerApi api,
      Map<String, String> variables,
      boolean adopt,
      SopsDecryptor sops) {
    return new SwarmTarget(
        name,
        stack,
        api,
        new SwarmStackLoader(name, stack, variables, sops),
        new SwarmDiffer(),
        Duration.ofMinutes(2),
        adopt);
  }
}
