package io.tidemark.cluster.kubernetes.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.tidemark.lease.LeaseSettings;
import io.tidemark.lease.ShardLeases;
import io.tidemark.lease.ShardSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas share four shards through coordination.k8s.io/v1 Leases held by fabric8's mock
 * server in CRUD mode (list, create and resourceVersion-checked update over real HTTP): they split
 * the shards two each, never hold the same shard, and one takes every shard when the other stops or
 * is cut off.
 */
class KubernetesShardLeasesTest {

  // Short, but long enough for a loaded CI machine where one request may take half a second.
  static final Duration LEASE = Duration.ofSeconds(4);
  static final Duration RENEW = Duration.ofMillis(2500);
  static final Duration RETRY = Duration.ofMillis(300);
  static final String NAMESPACE = "tidemark-system";

  private KubernetesMockServer server;
  private KubernetesClient clientA;
  private KubernetesClient clientB;
  private KubernetesShardLeases a;
  private KubernetesShardLeases b;
  private final Heard heardA = new Heard();
  private final Heard heardB = new Heard();

  /** What a replica heard: the shards it holds by its listener, and every event in order. */
  static final class Heard implements ShardLeases.Listener {
    final Set<Integer> holding = ConcurrentHashMap.newKeySet();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void gained(int shard) {
      holding.add(shard);
      events.add("gained " + shard);
    }

    @Override
    public void lost(int shard) {
      holding.remove(shard);
      events.add("lost " + shard);
    }
  }

  @BeforeEach
  void twoReplicas() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    clientA = server.createClient();
    clientB = server.createClient();
    a = new KubernetesShardLeases(clientA, settings("replica-a"));
    b = new KubernetesShardLeases(clientB, settings("replica-b"));
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    clientA.close();
    clientB.close();
    server.destroy();
  }

  @Test
  void aReplicaAloneHoldsEveryShard() {
    a.start(heardA);

    await().atMost(LEASE.multipliedBy(3)).until(() -> a.held().size() == 4);
    assertThat(heardA.holding).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(holders()).containsOnly("replica-a");
  }

  @Test
  void twoReplicasSplitTheShardsTwoEachAndNeverHoldTheSameOne() {
    a.start(heardA);
    await().atMost(LEASE.multipliedBy(3)).until(() -> a.held().size() == 4);
    b.start(heardB);

    await().atMost(LEASE.multipliedBy(2)).until(() -> a.held().size() == 2 && b.held().size() == 2);
    await()
        .during(LEASE)
        .atMost(LEASE.multipliedBy(2))
        .until(() -> disjoint(heardA.holding, heardB.holding) && a.held().size() == 2);
    assertThat(heardA.holding).isEqualTo(a.held());
    assertThat(heardB.holding).isEqualTo(b.held());
    // Each replica knows who holds the other's shards, and where its API answers.
    int ofA = a.held().iterator().next();
    await().atMost(LEASE).until(() -> b.holder(ofA).isPresent());
    assertThat(b.holder(ofA).orElseThrow())
        .isEqualTo(new ShardLeases.Holder("replica-a", Optional.of("http://replica-a:8080")));
  }

  @Test
  void theOtherReplicaTakesEveryShardWhenOneStops() {
    a.start(heardA);
    b.start(heardB);
    await().atMost(LEASE.multipliedBy(2)).until(() -> a.held().size() == 2 && b.held().size() == 2);

    long stopped = System.nanoTime();
    a.close();

    await().atMost(LEASE).until(() -> b.held().size() == 4);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(LEASE);
    assertThat(heardB.holding).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(holders()).containsOnly("replica-b");
  }

  @Test
  void aReplicaCutOffLosesItsShardsAndTheOtherTakesThemAfterTheLeaseDuration() throws Exception {
    try (TcpRelay relay = new TcpRelay(server.getPort());
        KubernetesClient cutOff = clientThrough(relay)) {
      KubernetesShardLeases c = new KubernetesShardLeases(cutOff, settings("replica-c"));
      Heard heardC = new Heard();
      try {
        c.start(heardC);
        b.start(heardB);
        await()
            .atMost(LEASE.multipliedBy(2))
            .until(() -> c.held().size() == 2 && b.held().size() == 2);

        long cut = System.nanoTime();
        relay.cut(); // a network partition: renewals fail, and nothing can be released

        // The cut-off replica stops its shards once it could not renew within the renew deadline...
        await().atMost(RENEW.plus(RETRY.multipliedBy(4))).until(() -> heardC.holding.isEmpty());
        assertThat(c.held()).isEmpty();
        // ...and the other takes them once the lease duration passed without a renewal.
        await().atMost(LEASE.plus(RETRY.multipliedBy(6))).until(() -> b.held().size() == 4);
        assertThat(Duration.ofNanos(System.nanoTime() - cut))
            .isGreaterThanOrEqualTo(LEASE.minus(RETRY.multipliedBy(2)));
        assertThat(heardB.holding).containsExactlyInAnyOrder(0, 1, 2, 3);
      } finally {
        c.close();
      }
    }
  }

  private static boolean disjoint(Set<Integer> one, Set<Integer> other) {
    Set<Integer> both = new HashSet<>(one);
    both.retainAll(other);
    return both.isEmpty();
  }

  private List<String> holders() {
    return clientB.resources(Lease.class).inNamespace(NAMESPACE).list().getItems().stream()
        .filter(l -> l.getMetadata().getName().startsWith("tidemark-leader-shard-"))
        .map(LeaseRecords::holder)
        .toList();
  }

  /** A client of the mock server through the relay, failing fast once the relay is cut. */
  private KubernetesClient clientThrough(TcpRelay relay) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(clientA.getConfiguration())
                .withMasterUrl("http://localhost:" + relay.port() + "/")
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(500)
                .withRequestTimeout(500)
                .build())
        .build();
  }

  static ShardSettings settings(String identity) {
    return new ShardSettings(
        new LeaseSettings("tidemark-leader", NAMESPACE, identity, LEASE, RENEW, RETRY),
        4,
        Optional.of("http://" + identity + ":8080"));
  }
}
