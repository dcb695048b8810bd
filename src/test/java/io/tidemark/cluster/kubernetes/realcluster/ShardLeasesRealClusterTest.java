package io.tidemark.cluster.kubernetes.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tidemark.cluster.kubernetes.lease.KubernetesShardLeases;
import io.tidemark.lease.LeaseSettings;
import io.tidemark.lease.ShardLeases;
import io.tidemark.lease.ShardSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, each with a client of its own, share four shards through Leases on a real API
 * server: opt-in, runs only when {@code TIDEMARK_IT_KUBECONFIG} names a kubeconfig, in a namespace
 * of its own that it deletes afterwards.
 */
class ShardLeasesRealClusterTest {

  private static final String KUBECONFIG = System.getenv("TIDEMARK_IT_KUBECONFIG");
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static final Duration RENEW = Duration.ofMillis(2500);
  private static final Duration RETRY = Duration.ofMillis(300);

  private String namespace;
  private KubernetesClient clientA;
  private KubernetesClient clientB;
  private KubernetesShardLeases a;
  private KubernetesShardLeases b;
  private final Set<Integer> heardA = ConcurrentHashMap.newKeySet();
  private final Set<Integer> heardB = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void aClusterIsNamed() {
    assumeTrue(KUBECONFIG != null && !KUBECONFIG.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
  }

  @BeforeEach
  void twoReplicas() throws Exception {
    namespace = "tm-shard-" + UUID.randomUUID().toString().substring(0, 8);
    clientA = client();
    clientB = client();
    clientA
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    a = new KubernetesShardLeases(clientA, settings("replica-a"));
    b = new KubernetesShardLeases(clientB, settings("replica-b"));
  }

  @AfterEach
  void cleanUp() {
    a.close();
    b.close();
    clientB.namespaces().withName(namespace).delete();
    clientA.close();
    clientB.close();
  }

  @Test
  void twoReplicasSplitTheShardsAndOneTakesThemAllWhenTheOtherStops() {
    a.start(listener(heardA));
    b.start(listener(heardB));

    await().atMost(LEASE.multipliedBy(3)).until(() -> a.held().size() == 2 && b.held().size() == 2);
    Set<Integer> both = new HashSet<>(heardA);
    both.retainAll(heardB);
    assertThat(both).isEmpty();
    assertThat(holders()).containsOnly("replica-a", "replica-b");

    long stopped = System.nanoTime();
    a.close();

    await().atMost(LEASE).until(() -> b.held().size() == 4);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(LEASE);
    assertThat(holders()).containsOnly("replica-b");
  }

  @Test
  void aReplicaThatDiesWithoutReleasingHandsItsShardsOverAfterTheLeaseDuration() {
    a.start(listener(heardA));
    b.start(listener(heardB));
    await().atMost(LEASE.multipliedBy(3)).until(() -> a.held().size() == 2 && b.held().size() == 2);

    long died = System.nanoTime();
    clientA.close(); // no more renewals, and nothing released: as a killed pod

    await().atMost(LEASE.plus(RETRY.multipliedBy(6))).until(() -> b.held().size() == 4);
    assertThat(Duration.ofNanos(System.nanoTime() - died))
        .isGreaterThanOrEqualTo(LEASE.minus(RETRY.multipliedBy(2)));
    assertThat(heardB).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  private List<String> holders() {
    return clientB.resources(Lease.class).inNamespace(namespace).list().getItems().stream()
        .filter(l -> l.getMetadata().getName().startsWith("tidemark-leader-shard-"))
        .map(l -> l.getSpec().getHolderIdentity())
        .toList();
  }

  private static ShardLeases.Listener listener(Set<Integer> heard) {
    return new ShardLeases.Listener() {
      @Override
      public void gained(int shard) {
        heard.add(shard);
      }

      @Override
      public void lost(int shard) {
        heard.remove(shard);
      }
    };
  }

  private ShardSettings settings(String identity) {
    return new ShardSettings(
        new LeaseSettings("tidemark-leader", namespace, identity, LEASE, RENEW, RETRY),
        4,
        Optional.of("http://" + identity + ":8080"));
  }

  private static KubernetesClient client() throws Exception {
    String yaml = Files.readString(Path.of(KUBECONFIG));
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(null, yaml, KUBECONFIG))
        .build();
  }
}
