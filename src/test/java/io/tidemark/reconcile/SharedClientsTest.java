package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tidemark.cluster.Target;
import io.tidemark.config.TidemarkConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets on one Docker engine, or one kubeconfig context, share one client: building hundreds of
 * them opens one client, and on the real engine (and the real API server when {@code
 * TIDEMARK_IT_KUBECONFIG} names one) the threads of the process stay flat as targets are pinged.
 */
class SharedClientsTest {

  private static final int TARGETS = 200;

  @Test
  void targetsOnOneEngineOrOneContextShareOneClient(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts:
          - {name: one, context: {cluster: c, user: u}}
          - {name: two, context: {cluster: c, user: u}}
        current-context: one
        """);
    TidemarkConfig config =
        config(
            TARGETS,
            i ->
                switch (i % 3) {
                  case 0 -> Map.of("kind", "swarm", "docker-host", "unix:///run/nothing.sock");
                  case 1 -> Map.of("kind", "kubernetes", "kubeconfig", kubeconfig.toString());
                  default ->
                      Map.of(
                          "kind", "kubernetes",
                          "kubeconfig", kubeconfig.toString(),
                          "context", "two");
                });
    try (TargetFactory factory = new TargetFactory()) {
      config.targets().forEach(factory::create);

      // One engine; two contexts of one kubeconfig are two clients (they may be two users).
      assertThat(factory.clients()).containsExactly(1, 2);
    }
  }

  @Test
  void twoHundredSwarmTargetsOnOneEngineAddAHandfulOfThreads() {
    String dockerHost = System.getenv("DOCKER_HOST");
    assumeTrue(dockerHost != null, "DOCKER_HOST not set");
    TidemarkConfig config =
        config(TARGETS, i -> Map.of("kind", "swarm", "docker-host", dockerHost));

    int before = threads();
    List<Target> shared = new ArrayList<>();
    try (TargetFactory factory = new TargetFactory()) {
      config.targets().forEach((name, target) -> shared.add(factory.create(name, target)));
      pingAll(shared);
      int sharedThreads = threads() - before;

      List<Target> own = new ArrayList<>();
      config
          .targets()
          .forEach(
              (name, target) -> own.add(TargetFactory.swarm(name, name, dockerHost, Map.of())));
      int beforeOwn = threads();
      pingAll(own);
      int ownThreads = threads() - beforeOwn;

      System.out.printf(
          "swarm: %d targets, threads added: shared client %d, a client per target %d%n",
          TARGETS, sharedThreads, ownThreads);
      assertThat(factory.clients().get(0)).isEqualTo(1);
      assertThat(sharedThreads).isLessThan(20);
    }
  }

  @Test
  void twoHundredKubernetesTargetsOnOneContextAddAHandfulOfThreads() {
    String kubeconfig = System.getenv("TIDEMARK_IT_KUBECONFIG");
    assumeTrue(kubeconfig != null && !kubeconfig.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
    TidemarkConfig config =
        config(TARGETS, i -> Map.of("kind", "kubernetes", "kubeconfig", kubeconfig));

    int before = threads();
    List<Target> shared = new ArrayList<>();
    try (TargetFactory factory = new TargetFactory()) {
      config.targets().forEach((name, target) -> shared.add(factory.create(name, target)));
      pingAll(shared);
      int sharedThreads = threads() - before;

      List<Target> own = new ArrayList<>();
      config
          .targets()
          .forEach(
              (name, target) ->
                  own.add(
                      TargetFactory.kubernetes(
                          name,
                          Optional.of("default"),
                          Optional.of(kubeconfig),
                          Optional.empty())));
      int beforeOwn = threads();
      pingAll(own);
      int ownThreads = threads() - beforeOwn;

      System.out.printf(
          "kubernetes: %d targets, threads added: shared client %d, a client per target %d%n",
          TARGETS, sharedThreads, ownThreads);
      assertThat(factory.clients().get(1)).isEqualTo(1);
      assertThat(sharedThreads).isLessThan(30);
    }
  }

  private static void pingAll(List<Target> targets) {
    targets.parallelStream()
        .forEach(
            t -> {
              try {
                t.ping();
              } catch (Exception e) {
                throw new IllegalStateException(t.name() + ": " + e.getMessage(), e);
              }
            });
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  private static TidemarkConfig config(int count, Function<Integer, Map<String, String>> target) {
    Map<String, String> properties = new HashMap<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      target.apply(i).forEach((k, v) -> properties.put("tidemark.targets.t" + n + "." + k, v));
    }
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(TidemarkConfig.class)
            .withConverter(
                java.time.Duration.class,
                100,
                new io.quarkus.runtime.configuration.DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .build();
    return config.getConfigMapping(TidemarkConfig.class);
  }
}
