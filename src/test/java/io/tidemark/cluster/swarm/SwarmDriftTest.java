package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.Ownership;
import io.tidemark.model.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SwarmDiffer on the real engine: no drift after a create or an update with Tidemark's spec (read
 * raw or with the engine's defaults inserted), and each out-of-band change found at its exact path
 * with both values.
 */
class SwarmDriftTest {

  private static final String STACK = "tmconvdrift";
  private static final String SERVICE = STACK + "_web";
  private static SwarmEngine engine;

  @TempDir Path repo;
  private DesiredState desired;

  @BeforeAll
  static void connect() {
    Assumptions.assumeTrue(SwarmEngine.available(), "DOCKER_HOST is not set");
    engine = SwarmEngine.connect();
  }

  @AfterAll
  static void cleanUp() {
    if (engine != null) {
      engine.removeStacks(STACK);
      engine.close();
    }
  }

  @BeforeEach
  void deploy() throws Exception {
    engine.removeStacks(STACK);
    Path folder = Files.createDirectories(repo.resolve("drift"));
    Files.writeString(folder.resolve("app.conf"), "a=1\n");
    Files.writeString(
        folder.resolve("docker-stack.yml"),
        """
        services:
          web:
            image: tidemark-test/busybox:1
            command: sleep 1000
            environment: [A=1]
            ports: ["18200:80"]
            configs: [app_conf]
            deploy:
              replicas: 1
              labels: {owner: data}
              placement:
                constraints: [node.role == manager]
        configs:
          app_conf:
            file: app.conf
        """);
    desired = StackComparison.load(repo, "drift", STACK, Map.of());
    engine.apiDeploy(desired);
  }

  private DesiredObject service() {
    return desired.list().stream()
        .filter(o -> o.key().name().equals(SERVICE))
        .findFirst()
        .orElseThrow();
  }

  private List<FieldDiff> drift(String query) throws Exception {
    Map<String, String> networks = engine.networkNames();
    List<FieldDiff> out = new ArrayList<>();
    SwarmDiffer differ = new SwarmDiffer();
    for (DesiredObject object : desired.list()) {
      LiveObject live = new StackComparison(engine).live(object.key(), networks);
      if (object.key().kind().equals("Service")) {
        Map<String, Object> inspected = engine.api.getObject("/services/" + SERVICE + query);
        live =
            new LiveObject(
                object.key(),
                SwarmDiffer.withNetworkNames(StackComparison.specOf(inspected), networks),
                Map.of(),
                "",
                Ownership.OWNED);
      }
      out.addAll(differ.compare(object, live));
    }
    return out;
  }

  @Test
  void reportsNoDriftRightAfterCreateReadRawOrWithDefaults() throws Exception {
    assertThat(drift("")).isEmpty();
    assertThat(drift("?insertDefaults=true")).isEmpty();
  }

  @Test
  void reportsNoDriftAfterAnUpdateWithTheSameSpecAndANewCommit() throws Exception {
    DesiredState next =
        new SwarmStackLoader("conv", STACK, Map.of())
            .load(repo, "drift", new io.tidemark.model.RevisionInfo("beef00", "", "", null));
    DesiredObject service =
        next.list().stream().filter(o -> o.key().name().equals(SERVICE)).findFirst().orElseThrow();
    // The engine bumps a new service's version while it allocates it; retry until in sequence.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(() -> update(service));
    assertThat(drift("")).isEmpty();
    assertThat(drift("?insertDefaults=true")).isEmpty();
  }

  @Test
  void findsEachOutOfBandChangeWithPathAndBothValues() throws Exception {
    SwarmEngine.docker(
        "service",
        "update",
        "--detach",
        "--image",
        "tidemark-test/busybox:2",
        "--env-add",
        "B=2",
        "--label-add",
        "extra=1",
        "--publish-add",
        "18201:81",
        "--constraint-add",
        "node.labels.zone==a",
        "--replicas",
        "2",
        SERVICE);
    assertThat(drift(""))
        .containsExactlyInAnyOrder(
            new FieldDiff("Labels.extra", null, "1"),
            new FieldDiff(
                "TaskTemplate.ContainerSpec.Image",
                "tidemark-test/busybox:1",
                "tidemark-test/busybox:2"),
            new FieldDiff("TaskTemplate.ContainerSpec.Env.B", null, "2"),
            new FieldDiff(
                "TaskTemplate.Placement.Constraints",
                List.of("node.role == manager"),
                List.of("node.labels.zone==a", "node.role == manager")),
            new FieldDiff("Mode.Replicated.Replicas", 1L, 2),
            new FieldDiff(
                "EndpointSpec.Ports.18201:81/tcp",
                null,
                Map.of(
                    "Protocol",
                    "tcp",
                    "TargetPort",
                    81,
                    "PublishedPort",
                    18201,
                    "PublishMode",
                    "ingress")));
  }

  @Test
  void findsARemovedConfigAndARemovedVariable() throws Exception {
    SwarmEngine.docker(
        "service", "update", "--detach", "--env-rm", "A", "--config-rm", configName(), SERVICE);
    List<FieldDiff> drift = drift("");
    assertThat(drift)
        .extracting(FieldDiff::path)
        .containsExactlyInAnyOrder(
            "TaskTemplate.ContainerSpec.Env.A", "TaskTemplate.ContainerSpec.Configs.app_conf");
    assertThat(drift).allMatch(d -> d.desired() != null && d.live() == null);
  }

  @SuppressWarnings("unchecked")
  private static void update(DesiredObject service) throws Exception {
    Map<String, Object> inspected = engine.service(SERVICE);
    Object version = ((Map<?, ?>) inspected.get("Version")).get("Index");
    Map<String, Object> spec = Trees.mutableCopy(service.spec());
    Map<String, Object> live = StackComparison.specOf(inspected);
    // SwarmTarget sends the engine ids of configs along, as the CLI does.
    ((Map<String, Object>) ((Map<String, Object>) spec.get("TaskTemplate")).get("ContainerSpec"))
        .put(
            "Configs",
            ((Map<?, ?>) ((Map<?, ?>) live.get("TaskTemplate")).get("ContainerSpec"))
                .get("Configs"));
    try {
      engine.api.post("/services/" + SERVICE + "/update?version=" + version, spec);
    } catch (DockerApiException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private String configName() {
    return desired.list().stream()
        .filter(o -> o.key().kind().equals("Config"))
        .findFirst()
        .orElseThrow()
        .key()
        .name();
  }
}
