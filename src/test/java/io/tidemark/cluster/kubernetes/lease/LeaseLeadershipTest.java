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
import io.tidemark.lease.Leadership;
import io.tidemark.lease.LeaseSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas elect a leader through a coordination.k8s.io/v1 Lease held by fabric8's mock server
 * in CRUD mode (create, get and update of the Lease over real HTTP): one leads, and when it stops,
 * the other takes over within the lease duration.
 */
class LeaseLeadershipTest {

  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration RENEW = Duration.ofMillis(1000);
  private static final Duration RETRY = Duration.ofMillis(200);

  private KubernetesMockServer server;
  private KubernetesClient clientA;
  private KubernetesClient clientB;
  private LeaseLeadership a;
  private LeaseLeadership b;
  private final Events eventsA = new Events();
  private final Events eventsB = new Events();

  /** Records what a replica heard, in order. */
  static final class Events implements Leadership.Listener {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void becameLeader() {
      heard.add("leader");
    }

    @Override
    public void lostLeadership() {
      heard.add("lost");
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
    a = new LeaseLeadership(clientA, settings("replica-a"));
    b = new LeaseLeadership(clientB, settings("replica-b"));
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
  void oneReplicaLeadsAndTheOtherWaits() {
    a.start(eventsA);
    await().atMost(LEASE).until(a::leading);
    b.start(eventsB);

    await().during(LEASE.plus(RETRY)).atMost(LEASE.multipliedBy(2)).until(() -> !b.leading());
    assertThat(a.leading()).isTrue();
    assertThat(holder()).isEqualTo("replica-a");
    assertThat(eventsB.heard).isEmpty();
  }

  @Test
  void theOtherReplicaTakesOverWithinTheLeaseDurationWhenTheLeaderStops() {
    a.start(eventsA);
    await().atMost(LEASE).until(a::leading);
    b.start(eventsB);

    long stopped = System.nanoTime();
    a.close();

    await().atMost(LEASE).until(b::leading);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(LEASE);
    assertThat(holder()).isEqualTo("replica-b");
    assertThat(eventsA.heard).containsExactly("leader", "lost");
    assertThat(eventsB.heard).containsExactly("leader");
  }

  @Test
  void theOtherReplicaTakesOverWhenTheLeaderIsCutOffAndCannotRenew() throws Exception {
    try (TcpRelay relay = new TcpRelay(server.getPort());
        KubernetesClient cutOff = clientThrough(relay)) {
      LeaseLeadership partitioned = new LeaseLeadership(cutOff, settings("replica-c"));
      Events eventsC = new Events();
      try {
        partitioned.start(eventsC);
        await().atMost(LEASE).until(partitioned::leading);
        b.start(eventsB);

        long cut = System.nanoTime();
        relay.cut(); // a network partition: the leader's renewals fail, and it cannot release

        // The leader stops leading once it could not renew within the renew deadline...
        await().atMost(RENEW.plus(RETRY.multipliedBy(4))).until(() -> !partitioned.leading());
        // ...and the other takes over once the lease duration passed since the last renewal.
        await().atMost(LEASE.plus(RETRY.multipliedBy(4))).until(b::leading);
        assertThat(Duration.ofNanos(System.nanoTime() - cut))
            .isGreaterThanOrEqualTo(LEASE.minus(RETRY).minus(RETRY));
        assertThat(holder()).isEqualTo("replica-b");
        assertThat(eventsC.heard).containsExactly("leader", "lost");
      } finally {
        partitioned.close();
      }
    }
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

  private String holder() {
    Lease lease = clientB.leases().inNamespace("tidemark-system").withName("tidemark-leader").get();
    return lease.getSpec().getHolderIdentity();
  }

  private static LeaseSettings settings(String identity) {
    return new LeaseSettings("tidemark-leader", "tidemark-system", identity, LEASE, RENEW, RETRY);
  }
}
