package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import java.io.IOException;
import java.nio.file.Files;
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
 * Tidemark deployed as a user deploys it: the image built by {@code scripts/build-image.sh}, the
 * stack {@code deploy/swarm/tidemark-stack.yml} deployed unchanged on the test swarm with a second
 * compose file that only points it at a repository (a bare repository bind-mounted read-only) and
 * at the engine's socket. The container runs as user 185, turns healthy, creates and keeps in sync
 * the stack of the repository, answers its API through {@code docker exec}, and keeps its reports
 * across a forced update of itself.
 */
class SelfDeployIT {

  private static final String IMAGE = "tidemark/tidemark:selfdeploy-it";
  private static final String SELF = "tmself";
  private static final String APP = "tmselfapp";
  private static final String SERVICE = SELF + "_tidemark";
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Duration STARTUP = Duration.ofMinutes(4);

  @TempDir Path dir;
  private Remote remote;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void setUp() throws Exception {
    removeStacks();
    remote = Remote.create(dir.resolve("git"));
    remote
        .write(
            "cluster/docker-swarm/app.yml",
            """
            services:
              web:
                image: %s
                command: ["sleep", "3600"]
                stop_grace_period: 1s
            """
                .formatted(TestSwarm.IMAGE))
        .commitAndPush("one idle service");
  }

  @AfterEach
  void tearDown() throws Exception {
    removeStacks();
    if (remote != null) {
      remote.close();
    }
  }

  @Test
  void theImageDeployedWithTheShippedStackReconcilesThroughTheSocketAndKeepsItsReports()
      throws Exception {
    run(List.of(PROJECT.resolve("scripts/build-image.sh").toString(), IMAGE), Map.of());
    deploy();

    String first = awaitHealthyContainer(null);
    assertThat(exec(first, "id", "-u")).as("the user the container runs as").isEqualTo("185");
    assertThat(exec(first, "stat", "-c", "%u", "/var/lib/tidemark"))
        .as("owner of the data volume")
        .isEqualTo("185");

    await("the repository's service created through the socket")
        .atMost(STARTUP)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> appServiceLabels().containsKey("io.tidemark/target"));
    JsonNode target =
        await("the target reported in sync")
            .atMost(STARTUP)
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> api(first, "/api/targets/platform"), t -> "IN_SYNC".equals(text(t, "state")));
    String runBeforeRestart = target.path("lastRunId").asText();
    assertThat(runBeforeRestart).isNotBlank();

    TestSwarm.docker("service", "update", "--force", "--detach", SERVICE);
    String second = awaitHealthyContainer(first);

    JsonNode runs =
        await("the history read back after the restart")
            .atMost(STARTUP)
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> api(second, "/api/targets/platform/runs"), r -> r != null);
    List<String> ids = new ArrayList<>();
    (runs.isArray() ? runs : runs.path("runs")).forEach(r -> ids.add(r.path("id").asText()));
    assertThat(ids).as("run ids after `docker service update --force`").contains(runBeforeRestart);
    await("in sync again after the restart, without writing")
        .atMost(STARTUP)
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> api(second, "/api/targets/platform"), t -> "IN_SYNC".equals(text(t, "state")));
  }

  /** Deploys the shipped stack file unchanged, plus the test's compose file and environment. */
  private void deploy() throws IOException, InterruptedException {
    String socket = System.getenv("DOCKER_HOST").replaceFirst("^unix://", "");
    Path override = dir.resolve("test-override.yml");
    Files.writeString(
        override,
        """
        version: "3.8"
        services:
          tidemark:
            environment:
              TIDEMARK_GIT_URL: file:///srv/platform.git
              TIDEMARK_TARGETS_PLATFORM_STACK: %s
            volumes:
              - type: bind
                source: %s
                target: /var/run/docker.sock
              - type: bind
                source: %s
                target: /srv/platform.git
                read_only: true
        """
            .formatted(APP, socket, remote.bare()));
    String gid = run(List.of("stat", "-c", "%g", socket), Map.of()).trim();
    run(
        List.of(
            "docker",
            "stack",
            "deploy",
            "--resolve-image",
            "never",
            "-c",
            PROJECT.resolve("deploy/swarm/tidemark-stack.yml").toString(),
            "-c",
            override.toString(),
            SELF),
        Map.of(
            "TIDEMARK_IMAGE",
            IMAGE,
            "DOCKER_SOCKET_GID",
            gid,
            "TIDEMARK_MODE",
            "apply",
            "TIDEMARK_GIT_POLL_INTERVAL",
            "3s",
            "TIDEMARK_SECRETS_DIR",
            PROJECT.resolve("deploy/swarm/secrets").toString()));
  }

  /**
   * Waits for a running, healthy Tidemark container other than {@code previous}; returns its id.
   */
  private String awaitHealthyContainer(String previous) {
    return await("a healthy Tidemark container")
        .atMost(STARTUP)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              String out =
                  TestSwarm.docker(
                      "ps",
                      "--filter",
                      "label=com.docker.swarm.service.name=" + SERVICE,
                      "--filter",
                      "health=healthy",
                      "--format",
                      "{{.ID}}");
              return out.lines().filter(id -> !id.equals(previous)).findFirst().orElse(null);
            },
            id -> id != null);
  }

  private JsonNode api(String container, String path) {
    String script =
        "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3"
            .formatted(path);
    String response = TestSwarm.docker("exec", container, "bash", "-c", script);
    int body = response.indexOf("\r\n\r\n");
    if (!response.startsWith("HTTP/1.1 200") && !response.startsWith("HTTP/1.0 200") || body < 0) {
      return null;
    }
    try {
      return json.readTree(response.substring(body + 4));
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    return node == null ? null : node.path(field).asText();
  }

  private static String exec(String container, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", container));
    args.addAll(List.of(command));
    return TestSwarm.docker(args.toArray(String[]::new));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> appServiceLabels() throws Exception {
    try (DockerApi api = TestSwarm.connect()) {
      for (Map<String, Object> service : api.getArray("/services")) {
        Map<String, Object> spec = (Map<String, Object>) service.get("Spec");
        if ((APP + "_web").equals(spec.get("Name"))) {
          return (Map<String, Object>) spec.getOrDefault("Labels", Map.of());
        }
      }
    }
    return Map.of();
  }

  private void removeStacks() throws Exception {
    run(List.of("docker", "stack", "rm", SELF), Map.of());
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, SELF + "_");
      TestSwarm.removeAll(api, APP + "_");
    }
    await("the stack's containers gone")
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                TestSwarm.docker(
                        "ps", "-a", "--filter", "label=com.docker.stack.namespace=" + SELF, "-q")
                    .isBlank());
    // The data volume goes with the stack, so that the next run starts with an empty history.
    run(List.of("docker", "volume", "rm", "-f", SELF + "_tidemark-data"), Map.of());
  }

  private static String run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(PROJECT.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0 && !command.contains("rm")) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
