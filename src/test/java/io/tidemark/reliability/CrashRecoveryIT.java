package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the packaged service in the middle of a reconcile of 30 services, then a
 * restart on the same data directory: the next reconcile converges, the history holds every report
 * completed before the kill plus the new ones, every stored report parses, and no temporary file is
 * left behind.
 */
class CrashRecoveryIT {

  private static final String STACK = "tmrelk";
  private static final String TOKEN = "crash-token";
  private static final int SERVICES = 30;

  @TempDir Path dir;
  private Remote remote;
  private ServiceProcess service;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void setUp() throws Exception {
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
    remote = Remote.create(dir.resolve("git"));
    remote.write("swarm/docker-stack.yml", stack(5, 0)).commitAndPush("5 idle services");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
    if (remote != null) {
      remote.close();
    }
  }

  private static String stack(int services, int replicas) {
    StringBuilder out = new StringBuilder("services:\n");
    for (int i = 0; i < services; i++) {
      out.append(
          """
            s%02d:
              image: %s
              command: ["sleep", "3600"]
              stop_grace_period: 1s
              deploy:
                replicas: %d
          """
              .formatted(i, TestSwarm.IMAGE, replicas));
    }
    return out.toString();
  }

  private Map<String, String> config() {
    return Map.ofEntries(
        Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
        Map.entry("tidemark.git.url", remote.url()),
        Map.entry("tidemark.git.poll-interval", "1h"),
        Map.entry("tidemark.targets.crash.kind", "swarm"),
        Map.entry("tidemark.targets.crash.path", "swarm"),
        Map.entry("tidemark.targets.crash.stack", STACK),
        Map.entry("tidemark.targets.crash.mode", "apply"),
        Map.entry("tidemark.targets.crash.health-timeout", "120s"),
        Map.entry("tidemark.api.token", TOKEN));
  }

  private JsonNode runs() throws Exception {
    return json.readTree(service.get("/api/targets/crash/runs?limit=500").body());
  }

  private JsonNode sync() throws Exception {
    var response =
        service.post(
            "/api/targets/crash/sync?wait=170", Map.of("Authorization", "Bearer " + TOKEN), "");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static long stackServices(DockerApi api) throws Exception {
    return api.getArray("/services").stream()
        .filter(s -> String.valueOf(((Map<?, ?>) s.get("Spec")).get("Name")).startsWith(STACK))
        .count();
  }

  @Test
  void aServiceKilledMidReconcileLosesNoCompletedReportAndConvergesAfterRestart() throws Exception {
    Path log = dir.resolve("service.log");
    service = ServiceProcess.start(config(), log);
    await().atMost(Duration.ofMinutes(2)).until(() -> runs().size() >= 1);
    sync();
    sync();
    Set<String> before = ids(runs());
    assertThat(before).hasSizeGreaterThanOrEqualTo(3);

    String big =
        remote.write("swarm/docker-stack.yml", stack(SERVICES, 1)).commitAndPush("30 services");
    var requested =
        service.post("/api/targets/crash/sync", Map.of("Authorization", "Bearer " + TOKEN), "");
    assertThat(requested.statusCode()).isEqualTo(202);
    long createdAtKill;
    try (DockerApi api = TestSwarm.connect()) {
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> stackServices(api) > 5);
      // The run is under way: it has written and now waits for 30 tasks to start.
      assertThat(
              json.readTree(service.get("/api/targets/crash").body()).path("running").asBoolean())
          .isTrue();
      createdAtKill = stackServices(api);
      service.kill9();
    }

    service = ServiceProcess.start(config(), log);
    // The poll at start reconciles: it converges on the commit the killed run was applying,
    // creating what the killed run did not (APPLIED), or finding it all there (IN_SYNC).
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              JsonNode newest = runs().get(0);
              return newest != null && newest.path("revision").path("commit").asText().equals(big);
            });
    JsonNode restarted = runs().get(0);
    assertThat(restarted.path("result").asText())
        .as(restarted.toString())
        .isIn("APPLIED", "IN_SYNC");
    JsonNode settled = sync();
    assertThat(settled.path("result").asText()).isEqualTo("IN_SYNC");
    try (DockerApi api = TestSwarm.connect()) {
      assertThat(stackServices(api)).isEqualTo(SERVICES);
    }

    JsonNode after = runs();
    assertThat(ids(after)).containsAll(before);
    Path reports = dir.resolve("data/reports/crash");
    List<Path> files;
    try (Stream<Path> list = Files.list(reports)) {
      files = list.toList();
    }
    for (Path file : files) {
      assertThat(file.getFileName().toString()).endsWith(".json").doesNotContain(".corrupt");
      assertThat(json.readTree(file.toFile()).path("id").asText()).isNotEmpty();
    }
    assertThat(files).hasSize(after.size());
    assertThat(leftovers(dir.resolve("data"))).isEmpty();
    System.out.printf(
        "figure: crash: %d reports before the kill, %d after restart (%d files, all parse);"
            + " killed with %d of %d services created; first run after restart %s%n",
        before.size(),
        after.size(),
        files.size(),
        createdAtKill,
        SERVICES,
        restarted.path("result").asText());
  }

  private static Set<String> ids(JsonNode runs) {
    Set<String> ids = new TreeSet<>();
    runs.forEach(r -> ids.add(r.path("id").asText()));
    return ids;
  }

  /** Temporary files and folders of the report store, the revision store and the checkouts. */
  private static List<Path> leftovers(Path data) throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(data)) {
      walk.filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".tmp")
                    || name.startsWith(".report-")
                    || name.startsWith(".tmp-")
                    || name.endsWith(".corrupt");
              })
          .forEach(out::add);
    }
    return out;
  }
}
