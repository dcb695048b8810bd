package io.tidemark.api.replicas;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tidemark.api.replicas.PeerReplica.Received;
import io.tidemark.cluster.kubernetes.lease.KubernetesShardLeases;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.lease.LeaseSettings;
import io.tidemark.lease.ShardLeases;
import io.tidemark.lease.ShardMap;
import io.tidemark.lease.ShardSettings;
import io.tidemark.reconcile.Reconcilers;
import io.tidemark.testing.GitFixture;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two replicas sharing two shards through Leases on fabric8's mock server (CRUD mode): the service
 * under test, and a second replica whose Leases are held by the real {@link KubernetesShardLeases}
 * and whose API is a real HTTP server ({@link PeerReplica}) at the address written on its Lease.
 * Reads and syncs of the target the second replica holds are forwarded to it and come back as its
 * answer; a holder that hangs or is down is a bounded 503; nothing is forwarded twice; the caller's
 * token is passed on as it came and no other secret is; a signed push reaching this replica is
 * relayed byte for byte to the other holder, and a relayed delivery is verified again.
 */
@QuarkusTest
@TestProfile(ShardForwardingTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardForwardingTest {

  static final String NAMESPACE = "tidemark-fwd";
  static final String LEASE = "tidemark-fwd";
  static final String TOKEN = "fwd-api-token";
  static final String HOOK_SECRET = "fwd-hook-secret";
  static final List<String> TARGETS = onEachShard();

  static GitFixture repo;
  static PeerReplica peer;
  static KubernetesClient peerClient;
  static KubernetesShardLeases peerLeases;

  /** Two Swarm targets in detect mode, one on each of the two shards, and short Leases. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path dir = Files.createTempDirectory("tidemark-fwd");
        repo = GitFixture.create(dir.resolve("git"));
        TARGETS.forEach(t -> repo.write("stacks/" + t + "/docker-stack.yml", stack("v1")));
        repo.commitAndPush("two stacks");
        Map<String, String> config = new java.util.HashMap<>();
        config.putAll(
            Map.ofEntries(
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
                Map.entry("tidemark.git.url", repo.url()),
                Map.entry("tidemark.git.poll-interval", "1h"),
                Map.entry("tidemark.api.token", TOKEN),
                Map.entry("tidemark.webhooks.github.secret", HOOK_SECRET),
                Map.entry("tidemark.leader-election.enabled", "true"),
                Map.entry("tidemark.leader-election.lease-name", LEASE),
                Map.entry("tidemark.leader-election.lease-namespace", NAMESPACE),
                Map.entry("tidemark.leader-election.lease-duration", "4s"),
                Map.entry("tidemark.leader-election.renew-deadline", "2500ms"),
                Map.entry("tidemark.leader-election.retry-period", "300ms"),
                Map.entry("tidemark.sharding.shards", "2"),
                Map.entry("tidemark.sharding.forward-timeout", "5s")));
        for (String target : TARGETS) {
          config.put("tidemark.targets." + target + ".kind", "swarm");
          config.put("tidemark.targets." + target + ".path", "stacks/" + target);
          config.put("tidemark.targets." + target + ".stack", target);
          config.put("tidemark.targets." + target + ".mode", "detect");
        }
        return config;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(LeaseMockServer.class));
    }
  }

  @Inject Reconcilers reconcilers;

  /** The first names, from a fixed list, that fall on shard 0 and on shard 1. */
  private static List<String> onEachShard() {
    ShardMap map = new ShardMap(2);
    String[] names = new String[2];
    for (int i = 0; names[0] == null || names[1] == null; i++) {
      String name = "shardfwd-" + i;
      names[map.shardOf(name)] = names[map.shardOf(name)] == null ? name : names[map.shardOf(name)];
    }
    return List.of(names);
  }

  static String stack(String version) {
    return """
        services:
          web:
            image: %s
            command: ["sleep", "3600"]
            environment:
              APP_VERSION: %s
        """
        .formatted(TestSwarm.IMAGE, version);
  }

  @BeforeEach
  void secondReplicaHoldsOneShard() throws Exception {
    if (peerLeases == null) {
      peer = new PeerReplica();
      peerClient = LeaseMockServer.client();
      peerLeases =
          new KubernetesShardLeases(
              peerClient,
              new ShardSettings(
                  new LeaseSettings(
                      LEASE,
                      NAMESPACE,
                      "replica-b",
                      Duration.ofSeconds(4),
                      Duration.ofMillis(2500),
                      Duration.ofMillis(300)),
                  2,
                  Optional.of(peer.url())));
      peerLeases.start(
          new ShardLeases.Listener() {
            @Override
            public void gained(int shard) {}

            @Override
            public void lost(int shard) {}
          });
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                peerLeases.held().size() == 1
                    && reconcilers.holds(here())
                    && !reconcilers.holds(there())
                    && reconcilers.holder(there()).isPresent());
  }

  @AfterAll
  static void stopSecondReplica() {
    if (peerLeases != null) {
      peerLeases.close();
      peerClient.close();
      peer.close();
    }
  }

  /** The target whose shard the service under test holds. */
  private static String here() {
    return TARGETS.get(1 - peerShard());
  }

  /** The target whose shard the second replica holds. */
  private static String there() {
    return TARGETS.get(peerShard());
  }

  /** TARGETS holds the target of shard i at index i. */
  private static int peerShard() {
    return peerLeases.held().iterator().next();
  }

  private static List<Received> receivedAt(String path) {
    return peer.received().stream().filter(r -> r.path().equals(path)).toList();
  }

  @Test
  @Order(1)
  void theHoldersAddressIsTheOneOnItsLease() {
    int shard = new ShardMap(2).shardOf(there());
    Lease lease =
        peerClient
            .resources(Lease.class)
            .inNamespace(NAMESPACE)
            .withName(LEASE + "-shard-" + shard)
            .get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-b");
    assertThat(lease.getMetadata().getAnnotations())
        .containsEntry("tidemark.io/address", peer.url());
    assertThat(reconcilers.holder(there()).orElseThrow())
        .isEqualTo(new ShardLeases.Holder("replica-b", Optional.of(peer.url())));
  }

  @Test
  @Order(2)
  void aReportOfATargetHeldByTheOtherReplicaIsThatReplicasReport() {
    String path = "/api/targets/" + there() + "/drift";
    given()
        .header("Authorization", "Bearer caller-token")
        .get(path)
        .then()
        .statusCode(200)
        .header("X-Tidemark-Served-By", "replica-b")
        .body("id", equalTo(PeerReplica.REPORT_ID));
    given().get(path).then().statusCode(200).body("id", equalTo(PeerReplica.REPORT_ID));

    List<Received> got = receivedAt(path);
    assertThat(got).hasSize(2);
    assertThat(got).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
    assertThat(got)
        .allSatisfy(
            r -> assertThat(r.header("X-Tidemark-Forwarded-By")).isEqualTo(reconcilers.identity()));
    // The caller's own token goes along as it came; a caller without one gets none added.
    assertThat(got.get(0).header("Authorization")).isEqualTo("Bearer caller-token");
    assertThat(got.get(1).header("Authorization")).isNull();
    assertThat(got)
        .allSatisfy(
            r ->
                assertThat(r.headers().values())
                    .noneMatch(v -> v.contains(TOKEN) || v.contains(HOOK_SECRET)));
  }

  @Test
  @Order(3)
  void aSyncOfATargetHeldElsewhereReachesItsHolder() {
    String path = "/api/targets/" + there() + "/sync";
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .post(path)
        .then()
        .statusCode(202)
        .header("X-Tidemark-Served-By", "replica-b");
    assertThat(receivedAt(path))
        .singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("POST"));
  }

  @Test
  @Order(4)
  void aTargetHeldHereIsAnsweredHere() {
    String path = "/api/targets/" + here() + "/drift";
    await().atMost(Duration.ofSeconds(60)).until(() -> given().get(path).statusCode() == 200);
    Response answer = given().get(path);
    assertThat(answer.header("X-Tidemark-Served-By")).isNull();
    assertThat(answer.jsonPath().getString("target")).isEqualTo(here());
    assertThat(receivedAt(path)).isEmpty();
  }

  @Test
  @Order(5)
  void aForwardedRequestIsNeverForwardedAgain() {
    // As if the second replica thought this one held its shard: no ping-pong, a clear 503.
    String path = "/api/targets/" + there() + "/drift";
    int before = receivedAt(path).size();
    given()
        .header("X-Tidemark-Forwarded-By", "replica-b")
        .get(path)
        .then()
        .statusCode(503)
        .header("Retry-After", "5")
        .body("error", containsString("does not hold the shard"));
    assertThat(receivedAt(path)).hasSize(before);
  }

  @Test
  @Order(6)
  void aHolderThatDoesNotAnswerIsA503WithinTheForwardTimeout() {
    peer.hang();
    try {
      // The client's own timeout is far above the 5 s forward timeout: a hang fails the test.
      given()
          .config(
              io.restassured.config.RestAssuredConfig.config()
                  .httpClient(
                      io.restassured.config.HttpClientConfig.httpClientConfig()
                          .setParam("http.socket.timeout", 30_000)))
          .header("Authorization", "Bearer " + TOKEN)
          .get("/api/targets/" + there() + "/drift")
          .then()
          .statusCode(503)
          .header("Retry-After", "5")
          .body("holder", equalTo("replica-b"))
          .body("error", containsString("did not answer within 5s"))
          .body("error", org.hamcrest.Matchers.not(containsString(TOKEN)))
          .body("error", org.hamcrest.Matchers.not(containsString(peer.url())));
    } finally {
      peer.answerAgain();
    }
  }

  @Test
  @Order(7)
  void aSignedPushIsRelayedUnchangedToTheHolderOfTheOtherTarget() {
    String commit =
        TARGETS.stream()
            .reduce(
                repo,
                (r, t) -> r.write("stacks/" + t + "/docker-stack.yml", stack("v2")),
                (x, y) -> x)
            .commitAndPush("both stacks v2");
    String id = "fwd-" + UUID.randomUUID();
    String body = push(commit);
    String signature = "sha256=" + hmac(body);
    // A forged delivery first: refused here, and never relayed.
    String forged = "fwd-forged-" + UUID.randomUUID();
    github(body, forged, "sha256=" + "0".repeat(64)).then().statusCode(401);

    github(body, id, signature).then().statusCode(202);

    await().atMost(Duration.ofSeconds(20)).until(() -> !deliveries(id).isEmpty());
    Received relayed = deliveries(id).get(0);
    assertThat(relayed.method()).isEqualTo("POST");
    assertThat(new String(relayed.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(relayed.header("X-Hub-Signature-256")).isEqualTo(signature);
    assertThat(relayed.header("X-GitHub-Event")).isEqualTo("push");
    assertThat(relayed.header("X-Tidemark-Forwarded-By")).isEqualTo(reconcilers.identity());
    assertThat(deliveries(forged)).isEmpty();
    // And the target held here ran for that delivery on the pushed commit.
    awaitRunFor(id, commit);
  }

  @Test
  @Order(8)
  void aRelayedDeliveryIsVerifiedAgainAndNotRelayedFurther() {
    String commit =
        repo.write("stacks/" + here() + "/docker-stack.yml", stack("v3")).commitAndPush("v3");
    String body = push(commit);
    String forged = "fwd-relayed-forged-" + UUID.randomUUID();
    given()
        .header("X-Tidemark-Forwarded-By", "replica-b")
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", forged)
        .header("X-Hub-Signature-256", "sha256=" + "1".repeat(64))
        .contentType("application/json")
        .body(body)
        .post("/api/webhooks/github")
        .then()
        .statusCode(401);

    String id = "fwd-relayed-" + UUID.randomUUID();
    given()
        .header("X-Tidemark-Forwarded-By", "replica-b")
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", id)
        .header("X-Hub-Signature-256", "sha256=" + hmac(body))
        .contentType("application/json")
        .body(body)
        .post("/api/webhooks/github")
        .then()
        .statusCode(202);
    awaitRunFor(id, commit);
    assertThat(deliveries(id)).isEmpty();
    assertThat(deliveries(forged)).isEmpty();
  }

  @Test
  @Order(9)
  void aHolderThatIsDownIsA503() {
    peer.close();
    given()
        .get("/api/targets/" + there() + "/runs")
        .then()
        .statusCode(503)
        .body("holder", equalTo("replica-b"))
        .body("error", containsString("did not answer"));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .post("/api/targets/" + there() + "/sync")
        .then()
        .statusCode(503);
  }

  private void awaitRunFor(String deliveryId, String commit) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              var runs =
                  given()
                      .get("/api/targets/" + here() + "/runs?limit=50")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              assertThat(runs.getList("trigger.deliveryId")).contains(deliveryId);
              assertThat(runs.getList("revision.commit")).contains(commit);
            });
  }

  private static List<Received> deliveries(String id) {
    return peer.received().stream()
        .filter(r -> r.path().equals("/api/webhooks/github"))
        .filter(r -> id.equals(r.header("X-GitHub-Delivery")))
        .toList();
  }

  private static Response github(String body, String id, String signature) {
    return given()
        .header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", id)
        .header("X-Hub-Signature-256", signature)
        .contentType("application/json")
        .body(body)
        .post("/api/webhooks/github");
  }

  private static String push(String commit) {
    return "{\"ref\":\"refs/heads/main\",\"after\":\""
        + commit
        + "\",\"repository\":{\"full_name\":\"platform/config\"}}";
  }

  private static String hmac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(HOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
