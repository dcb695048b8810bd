package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.sample.ComposeFolder.CliResult;
import io.tidemark.sample.ComposeFolder.Service;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Swarm variant of the sample platform is a stack the real docker CLI accepts, and it keeps the
 * platform's rules: resources and health checks everywhere, three spread replicas for the core
 * services, rolling updates that roll back, and a data network the edge cannot reach.
 */
class SwarmSampleStacksTest {

  private static final Set<String> LAYERS =
      Set.of("edge", "app", "data", "messaging", "monitoring");
  private static ComposeFolder sample;

  @BeforeAll
  static void readSample() {
    sample = ComposeFolder.read(RepoPaths.sampleSwarm());
  }

  @Test
  void dockerStackConfigAcceptsTheWholeFolderAndKeepsEveryService() throws Exception {
    CliResult result = sample.dockerStackConfig();

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    Map<String, Object> merged =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(result.stdout());
    assertThat(Maps.map(merged, "services").keySet())
        .containsExactlyInAnyOrderElementsOf(sample.services().keySet());
  }

  @Test
  void everyFileIsComposeFormat38WithServices() {
    assertThat(sample.files()).hasSizeGreaterThanOrEqualTo(5);
    for (ComposeFolder.ComposeFile file : sample.files()) {
      assertThat(Maps.string(file.content(), "version"))
          .as(file.path().toString())
          .isEqualTo("3.8");
      assertThat(Maps.map(file.content(), "services")).as(file.path().toString()).isNotEmpty();
    }
  }

  @Test
  void everyServiceHasAnImageResourcesAndAHealthcheckUnlessItsImageHasNoWay() {
    assertThat(ComposeChecks.incompleteServices(sample)).isEmpty();
  }

  @Test
  void everyReferenceResolvesAcrossTheFilesAndEveryConfigFileExists() {
    assertThat(ComposeChecks.unresolvedReferences(sample)).isEmpty();
  }

  @Test
  void everyVariableHasADefaultAndTheEnvFileSetsOnlyUsedVariables() {
    assertThat(ComposeChecks.variablesWithoutDefault(sample)).isEmpty();
    assertThat(sample.envFile()).isNotEmpty();
    assertThat(ComposeChecks.usedVariables(sample)).containsAll(sample.envFile().keySet());
  }

  @Test
  void everyServiceNamesOneOfTheFiveLayers() {
    assertThat(sample.services().values())
        .allSatisfy(
            s ->
                assertThat(Maps.string(s.spec(), "deploy", "labels", "io.platform/layer"))
                    .as(s.name())
                    .isIn(LAYERS));
    assertThat(sample.services().values())
        .extracting(s -> Maps.string(s.spec(), "deploy", "labels", "io.platform/layer"))
        .containsAll(LAYERS);
  }

  @Test
  void coreServicesRunAtLeastThreeReplicasSpreadOverZones() {
    List<String> problems = new ArrayList<>();
    for (Service service : sample.services().values()) {
      String layer = Maps.string(service.spec(), "deploy", "labels", "io.platform/layer");
      int replicas = replicas(service);
      if (("edge".equals(layer) || "app".equals(layer)) && replicas < 3) {
        problems.add(service.name() + ": a core service with " + replicas + " replicas");
      }
      if (replicas >= 2) {
        Map<String, Object> placement = Maps.map(service.spec(), "deploy", "placement");
        if (!Maps.list(placement, "preferences").contains(Map.of("spread", "node.labels.zone"))) {
          problems.add(service.name() + ": no spread over node.labels.zone");
        }
        if (placement.get("max_replicas_per_node") == null) {
          problems.add(service.name() + ": no max_replicas_per_node");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void updatesRollBackAndOnlyServicesWithoutStateStartTheNewTaskFirst() {
    List<String> problems = new ArrayList<>();
    for (Service service : sample.services().values()) {
      Map<String, Object> update = Maps.map(service.spec(), "deploy", "update_config");
      Map<String, Object> rollback = Maps.map(service.spec(), "deploy", "rollback_config");
      if (!"rollback".equals(update.get("failure_action")) || rollback.isEmpty()) {
        problems.add(service.name() + ": an update that fails does not roll back");
      }
      boolean stateful = !ComposeChecks.namedVolumes(service.spec()).isEmpty();
      String order = String.valueOf(update.get("order"));
      if (stateful && !"stop-first".equals(order)) {
        problems.add(service.name() + ": two tasks would share a volume (" + order + ")");
      }
      if (replicas(service) >= 3 && !"start-first".equals(order)) {
        problems.add(service.name() + ": a replicated service that does not start first");
      }
      Object perNode = Maps.get(service.spec(), "deploy", "placement", "max_replicas_per_node");
      // With one task per node, a start-first update finds no node for the new task.
      if ("start-first".equals(order) && perNode != null && ((Number) perNode).intValue() < 2) {
        problems.add(service.name() + ": start-first with max_replicas_per_node " + perNode);
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theDataNetworkIsInternalAndOnlyTheEdgePublishesPortsWithoutJoiningIt() {
    assertThat(Maps.get(sample.definitions("networks").get("data"), "internal")).isEqualTo(true);
    List<Service> edge =
        sample.services().values().stream()
            .filter(
                s -> "edge".equals(Maps.string(s.spec(), "deploy", "labels", "io.platform/layer")))
            .toList();
    assertThat(edge).isNotEmpty();
    assertThat(edge)
        .filteredOn(s -> ComposeChecks.networksOf(s.spec()).contains("data"))
        .extracting(Service::name)
        .as("edge services on the data network")
        .isEmpty();
    List<Service> publishing =
        sample.services().values().stream()
            .filter(s -> !Maps.list(s.spec(), "ports").isEmpty())
            .toList();
    assertThat(publishing)
        .extracting(Service::name)
        .containsExactlyInAnyOrderElementsOf(edge.stream().map(Service::name).toList());
  }

  @Test
  void everyNamedVolumeIsLabelledFastSsdOrBulk() {
    assertThat(sample.definitions("volumes"))
        .isNotEmpty()
        .allSatisfy(
            (name, spec) ->
                assertThat(Maps.string(spec, "labels", "io.platform/storage-class"))
                    .as(name)
                    .isIn("fast-ssd", "bulk"));
  }

  @Test
  void secretFilesAreSopsEncryptedForTheDemoKeyAndDecryptToPlaceholders() throws Exception {
    Path secrets = sample.dir().resolve("secrets");
    List<Path> files;
    try (Stream<Path> list = Files.list(secrets)) {
      files = list.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
    assertThat(files).hasSize(11);
    SopsDecryptor sops = DemoKey.decryptor();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String onDisk = Files.readString(file);
      assertThat(onDisk)
          .as(name)
          .contains("\"recipient\": \"" + DemoKey.RECIPIENT + "\"")
          .doesNotContain("change-me", "changeme");
      SopsDecryptor.Plain plain = sops.plain(name, Files.readAllBytes(file));
      assertThat(plain.decrypted()).as(name).isTrue();
      assertThat(new String(plain.content(), StandardCharsets.UTF_8))
          .as(name)
          .matches("(change-me|(changeme)+)\n");
    }
  }

  private static int replicas(Service service) {
    if ("global".equals(Maps.string(service.spec(), "deploy", "mode"))) {
      return 0;
    }
    Object replicas = Maps.get(service.spec(), "deploy", "replicas");
    return replicas == null ? 1 : ((Number) replicas).intValue();
  }
}
