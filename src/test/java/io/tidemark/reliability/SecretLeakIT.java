package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
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
 * The packaged service, logging at DEBUG, rotates a Swarm secret; then its values (and their
 * base64) are searched for in everything it let out: its log output, every stored report, the
 * metrics, every API answer and the web page. And every route that changes something refuses a
 * caller without the token.
 */
class SecretLeakIT {

  private static final String STACK = "tmrels";
  private static final String TOKEN = "leak-test-token";
  private static final String FIRST = "s1-Corr3ct-H0rse-Battery-Staple";
  private static final String SECOND = "s2-Tr0ub4dor-and-3-Zebra";
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
    remote = Remote.create(dir.resolve("git"));
    remote
        .write(
            "swarm/docker-stack.yml",
            """
            services:
              api:
                image: %s
                command: ["sleep", "3600"]
                secrets: [db_password]
                deploy:
                  replicas: 0
            secrets:
              db_password:
                file: ./db_password.txt
            """
                .formatted(TestSwarm.IMAGE))
        .write("swarm/db_password.txt", FIRST)
        .commitAndPush("api with a secret");
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
    for (String target : List.of("leak", "leakd")) {
      config.put("tidemark.targets." + target + ".kind", "swarm");
      config.put("tidemark.targets." + target + ".path", "swarm");
      config.put("tidemark.targets." + target + ".health-timeout", "30s");
    }
    config.put("tidemark.targets.leak.stack", STACK);
    config.put("tidemark.targets.leak.mode", "apply");
    config.put("tidemark.targets.leakd.stack", STACK + "d");
    config.put("tidemark.targets.leakd.mode", "detect");
    config.put("tidemark.api.token", TOKEN);
    config.put("tidemark.webhooks.github.secret", "leak-hook-secret");
    config.put("quarkus.log.category.\"io.tidemark\".level", "DEBUG");
    return config;
  }

  private JsonNode sync(String target) throws Exception {
    HttpResponse<String> response =
        service.post(
            "/api/targets/" + target + "/sync?wait=120",
            Map.of("Authorization", "Bearer " + TOKEN),
            "");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  @Test
  void aRotatedSecretAppearsNowhereTheServiceWritesOrServes() throws Exception {
    service = ServiceProcess.start(config(), dir.resolve("service.log"));
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> json.readTree(service.get("/api/targets/leak/runs").body()).size() >= 1);
    remote.write("swarm/db_password.txt", SECOND).commitAndPush("rotate the password");

    List<String> answers = new ArrayList<>();
    JsonNode rotated = sync("leak");
    answers.add(rotated.toString());
    answers.add(sync("leakd").toString());
    assertThat(rotated.path("result").asText()).isEqualTo("APPLIED");
    assertThat(rotated.toString()).contains("\"kind\":\"Secret\"");

    Map<String, String> places = new LinkedHashMap<>();
    for (String path :
        List.of(
            "/q/metrics",
            "/q/health/live",
            "/q/health/ready",
            "/api/targets",
            "/api/targets/leak",
            "/api/targets/leakd",
            "/api/targets/leak/drift",
            "/api/targets/leakd/drift",
            "/api/targets/leak/runs?limit=500",
            "/api/targets/leakd/runs?limit=500")) {
      places.put("GET " + path, service.get(path).body());
    }
    for (String target : List.of("leak", "leakd")) {
      for (JsonNode run :
          json.readTree(places.get("GET /api/targets/" + target + "/runs?limit=500"))) {
        String path = "/api/targets/" + target + "/runs/" + run.path("id").asText();
        places.put("GET " + path, service.get(path).body());
      }
    }
    places.put("GET /", service.get("/").body());
    try (Stream<Path> files = Files.walk(PAGE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String path = "/" + PAGE.relativize(file).toString().replace('\\', '/');
        places.put("GET " + path, service.get(path).body());
      }
    }
    for (int i = 0; i < answers.size(); i++) {
      places.put("sync answer " + i, answers.get(i));
    }
    try (Stream<Path> reports = Files.walk(dir.resolve("data/reports"))) {
      for (Path file : reports.filter(Files::isRegularFile).toList()) {
        places.put("report file " + file.getFileName(), Files.readString(file));
      }
    }
    places.put("service log", service.log());

    List<String> needles = new ArrayList<>();
    for (String secret : List.of(FIRST, SECOND)) {
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      needles.add(secret);
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
    assertThat(places.keySet().stream().filter(k -> k.startsWith("report file")))
        .hasSizeGreaterThan(2);
    System.out.printf(
        "figure: secret search: %d places (%d report files, log of %d lines, %d at DEBUG), %d"
            + " needles, 0 found%n",
        places.size(),
        places.keySet().stream().filter(k -> k.startsWith("report file")).count(),
        places.get("service log").lines().count(),
        debugLines,
        needles.size());
  }

  @Test
  void everyRouteThatChangesSomethingRefusesACallerWithoutTheToken() throws Exception {
    service = ServiceProcess.start(config(), dir.resolve("service.log"));
    List<MutatingRoutes.Route> routes = MutatingRoutes.find("leak");
    assertThat(routes).contains(new MutatingRoutes.Route("POST", "/api/targets/leak/sync"));

    for (MutatingRoutes.Route route : routes) {
      for (Map<String, String> headers :
          List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer wrong-" + TOKEN))) {
        HttpResponse<String> response = service.send(route.method(), route.path(), headers);
        assertThat(response.statusCode()).as(route + " with " + headers.keySet()).isEqualTo(401);
      }
      // The token without the Bearer scheme is a malformed header: refused as a bad request.
      HttpResponse<String> malformed =
          service.send(route.method(), route.path(), Map.of("Authorization", TOKEN));
      assertThat(malformed.statusCode()).as(route + " with a token but no scheme").isEqualTo(400);
    }
    // Webhooks fail closed on their own terms: unsigned 401, unconfigured provider 404.
    assertThat(
            service
                .post("/api/webhooks/github", Map.of("X-GitHub-Event", "push"), "{}")
                .statusCode())
        .isEqualTo(401);
    assertThat(service.post("/api/webhooks/gitlab", Map.of(), "{}").statusCode()).isEqualTo(404);
    System.out.printf("figure: mutating routes refused without token: %s%n", routes);
  }
}
