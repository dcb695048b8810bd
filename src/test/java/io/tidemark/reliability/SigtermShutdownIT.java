package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged service while a run applies a stack and waits for its health: the process
 * ends within {@code tidemark.shutdown-timeout}, and after a restart on the same data directory the
 * history holds the run as {@code INTERRUPTED} with every object it had created.
 */
class SigtermShutdownIT {

  private static final String STACK = "tmsigterm";
  private static final String TOKEN = "sigterm-token";
  private static final int SERVICES = 8;
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

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
    remote.write("swarm/docker-stack.yml", "services: {}\n").commitAndPush("an empty stack");
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

  /**
   * Services placed on a node label no node has: their tasks stay pending (not rejected, which
   * would end the wait at once), so the health wait would last its whole timeout.
   */
  private static String stack() {
    StringBuilder out = new StringBuilder("services:\n");
    for (int i = 0; i < SERVICES; i++) {
      out.append(
          """
            s%02d:
              image: %s
              command: ["sleep", "3600"]
              deploy:
                placement:
                  constraints: [node.labels.tidemark-sigterm-nowhere == 1]
          """
              .formatted(i, TestSwarm.IMAGE));
    }
    return out.toString();
  }

  private Map<String, String> config() {
    return Map.ofEntries(
        Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
        Map.entry("tidemark.git.url", remote.url()),
        Map.entry("tidemark.git.poll-interval", "1h"),
        Map.entry("tidemark.targets.term.kind", "swarm"),
        Map.entry("tidemark.targets.term.path", "swarm"),
        Map.entry("tidemark.targets.term.stack", STACK),
        Map.entry("tidemark.targets.term.mode", "apply"),
        Map.entry("tidemark.targets.term.health-timeout", "10m"),
        Map.entry("tidemark.shutdown-timeout", SHUTDOWN_TIMEOUT.toSeconds() + "s"),
        Map.entry("tidemark.api.token", TOKEN));
  }

  private JsonNode runs() throws Exception {
    return json.readTree(service.get("/api/targets/term/runs?limit=50").body());
  }

  @Test
  void aSigtermMidApplyEndsWithinTheShutdownTimeoutAndLeavesAnInterruptedRun() throws Exception {
    Path log = dir.resolve("service.log");
    long began = System.nanoTime();
    service = ServiceProcess.start(config(), log);
    long started = System.nanoTime();
    await().atMost(Duration.ofMinutes(1)).until(() -> runs().size() >= 1);

    String commit = remote.write("swarm/docker-stack.yml", stack()).commitAndPush("8 services");
    var requested =
        service.post("/api/targets/term/sync", Map.of("Authorization", "Bearer " + TOKEN), "");
    assertThat(requested.statusCode()).isEqualTo(202);
    try (DockerApi api = TestSwarm.connect()) {
      // The run has begun writing: the signal lands while it applies or waits for health.
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !services(api).isEmpty());
    }
    Duration stopped = service.terminate(SHUTDOWN_TIMEOUT.plusSeconds(30));
    assertThat(stopped).as(service.log()).isLessThan(SHUTDOWN_TIMEOUT);
    List<String> created;
    try (DockerApi api = TestSwarm.connect()) {
      created = services(api);
    }

    long restarting = System.nanoTime();
    service = ServiceProcess.start(config(), log);
    long restarted = System.nanoTime();
    JsonNode interrupted = null;
    for (JsonNode run : runs()) {
      if (run.path("revision").path("commit").asText().equals(commit)
          && run.path("result").asText().equals("INTERRUPTED")) {
        interrupted = run;
      }
    }
    assertThat(interrupted).as(runs() + "\n" + service.log()).isNotNull();
    assertThat(interrupted.path("note").asText()).contains("shut down");
    List<String> done = new ArrayList<>();
    interrupted
        .path("objects")
        .forEach(
            o -> {
              if (o.path("kind").asText().equals("Service")
                  && o.path("outcome").asText().equals("CREATED")) {
                done.add(o.path("name").asText());
              }
            });
    // What it had done is what the engine holds: every service it created, and only those.
    assertThat(done).containsExactlyInAnyOrderElementsOf(created);
    System.out.printf(
        "figure: sigterm: process ended %d ms after SIGTERM (shutdown-timeout %d s);"
            + " the interrupted run had created %d of %d services (%s);"
            + " starts took %d ms and %d ms%n",
        stopped.toMillis(),
        SHUTDOWN_TIMEOUT.toSeconds(),
        done.size(),
        SERVICES,
        interrupted.path("note").asText(),
        (started - began) / 1_000_000,
        (restarted - restarting) / 1_000_000);
  }

  private static List<String> services(DockerApi api) throws Exception {
    return api.getArray("/services").stream()
        .map(s -> String.valueOf(((Map<?, ?>) s.get("Spec")).get("Name")))
        .filter(name -> name.startsWith(STACK + "_"))
        .toList();
  }
}
