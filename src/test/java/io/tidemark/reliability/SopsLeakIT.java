package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.desired.sops.SopsTestEncryptor;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service, logging at DEBUG, reconciles a stack whose secret file and env_file are
 * SOPS-encrypted; env values are then changed out of band, so the next run shows drift on them.
 * Every plain value (decrypted, and the out-of-band ones) is searched for in its log output, every
 * file under its data directory, every API answer, the page and the metrics: none is found, and the
 * drift on the env var from the SOPS dotenv is shown masked.
 */
class SopsLeakIT {

  private static final String STACK = "tmsopsleak";
  private static final String TOKEN = "sops-leak-token";
  private static final String RECIPIENT =
      "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";
  private static final String SECRET = "sops-Db-Pa55-Quartz-Lantern";
  private static final String ENV_TOKEN = "sops-Tok3n-Velvet-Harbor";
  // A name that looks harmless: only its origin (a SOPS file) makes it secret.
  private static final String ENV_OPTION = "sops-0ption-Cobalt-Meadow";
  private static final String LIVE_TOKEN = "live-Tok3n-Copper-Ridge";
  private static final String LIVE_OPTION = "live-0ption-Amber-Fjord";
  private static final Path PAGE = Path.of("target/classes/META-INF/resources");

  @TempDir Path dir;
  private Remote remote;
  private ServiceProcess service;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void setUp() throws Exception {
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK);
    }
    try (InputStream key = SopsLeakIT.class.getResourceAsStream("/fixtures/sops/age-key.txt")) {
      Files.write(dir.resolve("age.key"), key.readAllBytes());
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("API_TOKEN", ENV_TOKEN);
    env.put("APP_OPTION", ENV_OPTION);
    remote = Remote.create(dir.resolve("git"));
    remote
        .write(
            "swarm/docker-stack.yml",
            """
            services:
              api:
                image: %s
                command: ["sleep", "3600"]
                env_file: [app.sops.env]
                secrets: [db_password]
                deploy:
                  replicas: 0
            secrets:
              db_password:
                file: ./db_password
            """
                .formatted(TestSwarm.IMAGE))
        .write("swarm/db_password", new SopsTestEncryptor(List.of(RECIPIENT)).binary(SECRET))
        .write("swarm/app.sops.env", new SopsTestEncryptor(List.of(RECIPIENT)).dotenv(env))
        .commitAndPush("api with SOPS-encrypted secret and env");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK);
    }
    if (remote != null) {
      remote.close();
    }
  }

  private Map<String, String> config() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("tidemark.data-dir", dir.resolve("data").toString());
    config.put("tidemark.git.url", remote.url());
    config.put("tidemark.git.poll-interval", "1h");
    config.put("tidemark.sops.age-key-file", dir.resolve("age.key").toString());
    config.put("tidemark.targets.sleak.kind", "swarm");
    config.put("tidemark.targets.sleak.path", "swarm");
    config.put("tidemark.targets.sleak.stack", STACK);
    config.put("tidemark.targets.sleak.mode", "apply");
    config.put("tidemark.targets.sleak.health-timeout", "30s");
    config.put("tidemark.api.token", TOKEN);
    config.put("quarkus.log.category.\"io.tidemark\".level", "DEBUG");
    return config;
  }

  @Test
  void decryptedAndDriftedValuesAppearNowhereAndTheDotenvDriftIsMasked() throws Exception {
    service = ServiceProcess.start(config(), dir.resolve("service.log"));
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> json.readTree(service.get("/api/targets/sleak/runs").body()).size() >= 1);
    JsonNode first = json.readTree(service.get("/api/targets/sleak/drift").body());
    assertThat(first.path("result").asText()).as(first.toString()).isEqualTo("APPLIED");
    TestSwarm.docker(
        "service",
        "update",
        "--detach",
        "--env-add",
        "API_TOKEN=" + LIVE_TOKEN,
        "--env-add",
        "APP_OPTION=" + LIVE_OPTION,
        STACK + "_api");

    HttpResponse<String> synced =
        service.post(
            "/api/targets/sleak/sync?wait=120", Map.of("Authorization", "Bearer " + TOKEN), "");
    assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
    JsonNode run = json.readTree(synced.body());
    List<JsonNode> envDiffs = new ArrayList<>();
    for (JsonNode object : run.path("objects")) {
      for (JsonNode diff : object.path("diffs")) {
        if (diff.path("path").asText().contains("Env")) {
          envDiffs.add(diff);
        }
      }
    }
    assertThat(envDiffs)
        .as(run.toString())
        .extracting(d -> d.path("path").asText())
        .anySatisfy(p -> assertThat(p).contains("APP_OPTION"))
        .anySatisfy(p -> assertThat(p).contains("API_TOKEN"));
    assertThat(envDiffs)
        .allSatisfy(
            d -> {
              assertThat(d.path("desired").asText()).startsWith("<secret sha256:");
              assertThat(d.path("live").asText()).startsWith("<secret sha256:");
            });

    Map<String, String> places = new LinkedHashMap<>();
    places.put("sync answer", synced.body());
    for (String path :
        List.of(
            "/q/metrics",
            "/q/health/live",
            "/q/health/ready",
            "/api/targets",
            "/api/targets/sleak",
            "/api/targets/sleak/drift",
            "/api/targets/sleak/runs?limit=500")) {
      places.put("GET " + path, service.get(path).body());
    }
    for (JsonNode each : json.readTree(places.get("GET /api/targets/sleak/runs?limit=500"))) {
      String path = "/api/targets/sleak/runs/" + each.path("id").asText();
      places.put("GET " + path, service.get(path).body());
    }
    places.put("GET /", service.get("/").body());
    try (Stream<Path> files = Files.walk(PAGE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String path = "/" + PAGE.relativize(file).toString().replace('\\', '/');
        places.put("GET " + path, service.get(path).body());
      }
    }
    int dataFiles = 0;
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        // Git's own objects are compressed; the checkout's files are searched as they are.
        places.put(
            "data file " + dir.relativize(file),
            Files.readString(file, StandardCharsets.ISO_8859_1));
        dataFiles++;
      }
    }
    places.put("service log", service.log());

    List<String> needles = new ArrayList<>();
    for (String plain : List.of(SECRET, ENV_TOKEN, ENV_OPTION, LIVE_TOKEN, LIVE_OPTION)) {
      byte[] bytes = plain.getBytes(StandardCharsets.UTF_8);
      needles.add(plain);
      needles.add(Base64.getEncoder().encodeToString(bytes));
      needles.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    for (Map.Entry<String, String> place : places.entrySet()) {
      for (String needle : needles) {
        assertThat(place.getValue()).as(place.getKey()).doesNotContain(needle);
      }
    }
    long debugLines = places.get("service log").lines().filter(l -> l.contains(" DEBUG ")).count();
    assertThat(debugLines).as("the log is at DEBUG for io.tidemark").isGreaterThan(0);
    assertThat(places.keySet()).anyMatch(k -> k.contains("reports"));
    assertThat(places.keySet()).anyMatch(k -> k.endsWith("app.sops.env"));
    System.out.printf(
        "figure: SOPS plain-value search: %d places (%d files under data-dir, log of %d lines, %d"
            + " at DEBUG), %d needles, 0 found%n",
        places.size(),
        dataFiles,
        places.get("service log").lines().count(),
        debugLines,
        needles.size());
  }
}
