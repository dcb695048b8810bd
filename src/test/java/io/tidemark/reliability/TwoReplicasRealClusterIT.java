package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tidemark.lease.ShardMap;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the packaged service, as two processes, share eight Kubernetes targets over four
 * shard Leases on a real API server: each reconciles its own targets, each answers for the other's
 * by forwarding, and when one is killed the other takes its shards over and reconciles its targets.
 * Opt-in: runs only when {@code TIDEMARK_IT_KUBECONFIG} names a kubeconfig; everything it makes is
 * in a namespace of its own, deleted afterwards.
 */
class TwoReplicasRealClusterIT {

  private static final String KUBECONFIG = System.getenv("TIDEMARK_IT_KUBECONFIG");
  private static final String TOKEN = "two-replicas-token";
  private static final int TARGETS = 8;
  private static final int SHARDS = 4;
  private static final String LEASE = "tm2r";

  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();
  private String namespace;
  private KubernetesClient kube;
  private Remote remote;
  private ServiceProcess a;
  private ServiceProcess b;

  @BeforeAll
  static void aClusterIsNamed() {
    assumeTrue(KUBECONFIG != null && !KUBECONFIG.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
  }

  @BeforeEach
  void setUp() throws Exception {
    namespace = "tm-2r-" + UUID.randomUUID().toString().substring(0, 8);
    kube =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(Path.of(KUBECONFIG))))
            .build();
    kube.namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    remote = Remote.create(dir.resolve("git"));
    writeAll("v1");
    remote.commitAndPush("eight targets, v1");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (ServiceProcess replica : new ServiceProcess[] {a, b}) {
      if (replica != null) {
        replica.close();
      }
    }
    if (kube != null) {
      kube.namespaces().withName(namespace).delete();
      kube.close();
    }
    if (remote != null) {
      remote.close();
    }
  }

  private static String target(int i) {
    return "t" + i;
  }

  private void writeAll(String version) throws Exception {
    for (int i = 0; i < TARGETS; i++) {
      remote.write(
          target(i) + "/cm.yaml",
          """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: cm-%s
          data:
            version: %s
          """
              .formatted(target(i), version));
    }
  }

  private ServiceProcess replica(String identity) throws Exception {
    int port = ServiceProcess.freePort();
    Map<String, String> config = new HashMap<>();
    config.put("tidemark.data-dir", dir.resolve(identity).toString());
    config.put("tidemark.git.url", remote.url());
    config.put("tidemark.git.poll-interval", "1h");
    config.put("tidemark.api.token", TOKEN);
    config.put("tidemark.leader-election.enabled", "true");
    config.put("tidemark.leader-election.lease-name", LEASE);
    config.put("tidemark.leader-election.lease-namespace", namespace);
    config.put("tidemark.leader-election.lease-duration", "6s");
    config.put("tidemark.leader-election.renew-deadline", "4s");
    config.put("tidemark.leader-election.retry-period", "1s");
    config.put("tidemark.sharding.shards", Integer.toString(SHARDS));
    config.put("tidemark.sharding.advertise-url", "http://127.0.0.1:" + port);
    for (int i = 0; i < TARGETS; i++) {
      String prefix = "tidemark.targets." + target(i) + ".";
      config.put(prefix + "kind", "kubernetes");
      config.put(prefix + "path", target(i));
      config.put(prefix + "mode", "apply");
      config.put(prefix + "kubeconfig", KUBECONFIG);
      config.put(prefix + "namespace", namespace);
    }
    // The identity is the host name, as a pod's is; the Leases are read with the same kubeconfig.
    Map<String, String> env = Map.of("HOSTNAME", identity, "KUBECONFIG", KUBECONFIG);
    return ServiceProcess.start(port, config, env, dir.resolve(identity + ".log"));
  }

  /** Who holds each shard's Lease now (empty: nobody). */
  private List<Optional<String>> holders() {
    return IntStream.range(0, SHARDS)
        .mapToObj(
            shard -> {
              Lease lease =
                  kube.leases().inNamespace(namespace).withName(LEASE + "-shard-" + shard).get();
              return Optional.ofNullable(lease)
                  .map(l -> l.getSpec().getHolderIdentity())
                  .filter(h -> !h.isBlank());
            })
        .toList();
  }

  private Optional<String> version(int i) {
    ConfigMap map = kube.configMaps().inNamespace(namespace).withName("cm-" + target(i)).get();
    return Optional.ofNullable(map).map(m -> m.getData().get("version"));
  }

  @Test
  void twoReplicasSplitTheTargetsAnswerForEachOtherAndTakeOverWhenOneIsKilled() throws Exception {
    a = replica("replica-a");
    b = replica("replica-b");

    // Each replica holds its fair share, two shards, and every target is applied once.
    await("both replicas hold two shards")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              List<Optional<String>> now = holders();
              return now.stream().filter(h -> h.equals(Optional.of("replica-a"))).count() == 2
                  && now.stream().filter(h -> h.equals(Optional.of("replica-b"))).count() == 2;
            });
    await("every target applied")
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> IntStream.range(0, TARGETS).allMatch(i -> version(i).equals(Optional.of("v1"))));

    // Asked on replica A, a target of B's shards is answered by B, a target of A's by A itself.
    List<Optional<String>> holders = holders();
    ShardMap shards = new ShardMap(SHARDS);
    for (int i = 0; i < TARGETS; i++) {
      String holder = holders.get(shards.shardOf(target(i))).orElseThrow();
      HttpResponse<String> answer =
          await().atMost(Duration.ofSeconds(30)).until(drift(a, i), r -> r.statusCode() == 200);
      Optional<String> servedBy = answer.headers().firstValue("X-Tidemark-Served-By");
      if (holder.equals("replica-b")) {
        assertThat(servedBy).as(target(i)).contains("replica-b");
      } else {
        assertThat(servedBy).as(target(i)).isEmpty();
      }
      JsonNode report = json.readTree(answer.body());
      assertThat(report.path("target").asText()).isEqualTo(target(i));
      assertThat(report.path("result").asText()).as(answer.body()).isIn("APPLIED", "IN_SYNC");
    }

    // Replica A dies without releasing anything: B takes its shards once the Leases expire.
    a.kill9();
    a = null;
    await("replica-b holds every shard")
        .atMost(Duration.ofSeconds(60))
        .until(() -> holders().stream().allMatch(h -> h.equals(Optional.of("replica-b"))));

    // A new commit, synced through B, reaches every target, A's former ones included.
    writeAll("v2");
    String v2 = remote.commitAndPush("eight targets, v2");
    for (int i = 0; i < TARGETS; i++) {
      HttpResponse<String> synced =
          b.post(
              "/api/targets/" + target(i) + "/sync?wait=60",
              Map.of("Authorization", "Bearer " + TOKEN),
              "");
      assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
      // The first sync's fetch also asks every target the commit touched: later ones may find
      // their ConfigMap written already.
      JsonNode report = json.readTree(synced.body());
      assertThat(report.path("result").asText()).as(synced.body()).isIn("APPLIED", "IN_SYNC");
      assertThat(report.path("revision").path("commit").asText()).isEqualTo(v2);
    }
    assertThat(IntStream.range(0, TARGETS).mapToObj(this::version))
        .allSatisfy(v -> assertThat(v).contains("v2"));
  }

  private java.util.concurrent.Callable<HttpResponse<String>> drift(ServiceProcess replica, int i) {
    return () -> replica.get("/api/targets/" + target(i) + "/drift");
  }
}
