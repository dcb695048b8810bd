package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.desired.sops.SopsDecryptor;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's quick start, run as a new user runs it: {@code scripts/quickstart.sh} on the test swarm
 * (its launcher, its generated configuration, the sample repository over file:// and the demo key).
 * The whole sample platform is created, the next sync finds it in sync, and no secret of the sample
 * reaches the log or the API in plain text. Nothing else ran the quick start: a launcher change
 * once broke it for a whole stop.
 */
class QuickstartIT {

  private static final String STACK = "platform";
  private static final String TOKEN = "quickstart-token";

  @TempDir Path dir;
  private Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private int port;

  @AfterEach
  void tearDown() throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
  }

  @Test
  void theQuickStartCreatesTheSamplePlatformThenFindsItInSyncWithoutShowingASecret()
      throws Exception {
    Path jar = RepoPaths.root().resolve("target/quarkus-app/quarkus-run.jar");
    Assumptions.assumeTrue(Files.isRegularFile(jar), "run with mvn verify: the jar is missing");
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = dir.resolve("quickstart.log");
    ProcessBuilder script =
        new ProcessBuilder("bash", "scripts/quickstart.sh")
            .directory(RepoPaths.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    script.environment().put("TIDEMARK_QUICKSTART_DIR", dir.resolve("work").toString());
    script.environment().put("TIDEMARK_QUICKSTART_PORT", Integer.toString(port));
    script.environment().put("DOCKER_HOST", System.getenv("DOCKER_HOST"));
    process = script.start();

    // The first run starts at once: poll until its report is in the history.
    JsonNode first;
    try {
      first =
          await("the quick start's first run")
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofSeconds(1))
              .failFast(() -> !process.isAlive())
              .ignoreExceptions()
              .until(
                  () -> {
                    JsonNode runs = get("/api/targets/platform/runs?limit=5");
                    return runs.size() > 0 ? runs.get(runs.size() - 1) : null;
                  },
                  run -> run != null);
    } catch (TerminalFailureException e) {
      throw new AssertionError("the quick start exited:\n" + Files.readString(log), e);
    }
    List<String> outcomes = new ArrayList<>();
    first.path("objects").forEach(o -> outcomes.add(o.path("outcome").asText()));
    assertThat(first.path("errors")).as(first.toString()).isEmpty();
    assertThat(outcomes).as(first.toString()).hasSizeGreaterThan(40).containsOnly("CREATED");

    JsonNode second = sync();
    assertThat(second.path("result").asText()).as(second.toString()).isEqualTo("IN_SYNC");
    assertThat(second.path("objects").size()).isEqualTo(outcomes.size());

    String seen =
        Files.readString(log)
            + get("/api/targets/platform/runs?limit=5")
            + get("/api/targets/platform/drift");
    assertThat(plainSecrets())
        .hasSizeGreaterThan(5)
        .allSatisfy(s -> assertThat(seen).doesNotContain(s));
  }

  /** Every plain value of the sample's Swarm secret files, decrypted with the demo key. */
  private static List<String> plainSecrets() throws Exception {
    SopsDecryptor sops = DemoKey.decryptor();
    Path folder = RepoPaths.root().resolve("sample-repo/cluster/docker-swarm/secrets");
    List<String> values = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> !f.toString().endsWith(".md")).toList()) {
        SopsDecryptor.Plain plain = sops.plain(file.toString(), Files.readAllBytes(file));
        assertThat(plain.decrypted()).as(file.toString()).isTrue();
        values.add(new String(plain.content(), StandardCharsets.UTF_8).strip());
      }
    }
    return values;
  }

  private JsonNode sync() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base() + "/api/targets/platform/sync?wait=180"))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofMinutes(4))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private JsonNode get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
