package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.kubernetes.Comparison.Verdict;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Labels;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The differ's rules beyond the recorded cases, on recorded objects changed in the ways a busy
 * cluster or a new commit changes them.
 */
class KubernetesDifferTest {

  private final KubernetesDiffer differ = new KubernetesDiffer("tidemark");

  @Test
  void ignoresStatusControllerFieldsAndVersionsThatMoveOnABusyCluster() {
    Map<String, Object> dryRun = Fixtures.json("deployment-defaults", "dry-run.json");
    Map<String, Object> live = Trees.mutableCopy(Fixtures.json("deployment-defaults", "live.json"));
    metadata(live).put("resourceVersion", "999");
    metadata(live).put("generation", 7);
    metadata(live).put("uid", "another");
    metadata(live).put("creationTimestamp", "2030-01-01T00:00:00Z");
    metadata(live).put("managedFields", List.of());
    live.put("status", Map.of("replicas", 3, "availableReplicas", 3));

    assertThat(differ.diff(dryRun, live)).isEmpty();
  }

  @Test
  void ignoresACommitAnnotationThatOnlyMoved() {
    Map<String, Object> dryRun = Trees.mutableCopy(Fixtures.json("configmap-changed", "live.json"));
    Map<String, Object> live = Trees.mutableCopy(dryRun);
    metadata(dryRun).put("annotations", Map.of(Labels.COMMIT, "bbbb"));
    metadata(live).put("annotations", Map.of(Labels.COMMIT, "aaaa"));
    Map<String, Object> unannotated = Trees.mutableCopy(dryRun);
    metadata(unannotated).remove("annotations");

    assertThat(differ.diff(dryRun, live)).isEmpty();
    assertThat(differ.diff(dryRun, unannotated)).isEmpty();
  }

  @Test
  void reportsAnAnnotationChangeWithAQuotedKey() {
    Map<String, Object> dryRun = Fixtures.json("deployment-defaults", "dry-run.json");
    Map<String, Object> live = Trees.mutableCopy(dryRun);
    metadata(live).put("annotations", Map.of("deployment.kubernetes.io/revision", "2"));

    assertThat(differ.diff(dryRun, live))
        .containsExactly(
            new FieldDiff("metadata.annotations[\"deployment.kubernetes.io/revision\"]", "1", "2"));
  }

  @Test
  void reportsAnAddedEnvVariableByItsName() {
    Map<String, Object> dryRun = Fixtures.json("deployment-env-added", "dry-run.json");
    Map<String, Object> live = Trees.mutableCopy(dryRun);
    Map<String, Object> container = firstContainer(live);
    List<Object> env = new ArrayList<>((List<?>) container.get("env"));
    env.add(Map.of("name", "EXTRA", "value", "1"));
    container.put("env", env);

    assertThat(differ.diff(dryRun, live))
        .containsExactly(
            new FieldDiff(
                "spec.template.spec.containers[name=web].env[name=EXTRA]",
                null,
                Map.of("name", "EXTRA", "value", "1")));
  }

  @Test
  void reportsKeyedItemsInAnotherOrderAsOneListDiff() {
    Map<String, Object> dryRun =
        Trees.mutableCopy(Fixtures.json("deployment-defaults", "dry-run.json"));
    Map<String, Object> container = firstContainer(dryRun);
    container.put(
        "env", List.of(Map.of("name", "A", "value", "1"), Map.of("name", "B", "value", "2")));
    Map<String, Object> live = Trees.mutableCopy(dryRun);
    firstContainer(live)
        .put("env", List.of(Map.of("name", "B", "value", "2"), Map.of("name", "A", "value", "1")));

    assertThat(differ.diff(dryRun, live))
        .extracting(FieldDiff::path)
        .containsExactly("spec.template.spec.containers[name=web].env");
  }

  @Test
  void comparesNumbersByValue() {
    Map<String, Object> dryRun = Fixtures.json("deployment-scaled", "dry-run.json");
    Map<String, Object> live = Trees.mutableCopy(dryRun);
    ((Map<String, Object>) live.get("spec")).put("replicas", 3L);

    assertThat(differ.diff(dryRun, live)).isEmpty();
  }

  @Test
  void masksSecretValuesButNotSecretMetadata() {
    Map<String, Object> dryRun = Fixtures.json("secret-stringdata", "dry-run.json");
    Map<String, Object> live = Trees.mutableCopy(dryRun);
    live.remove("data");
    metadata(live).put("labels", Map.of("tier", "db"));

    List<FieldDiff> diffs = differ.diff(dryRun, live);

    assertThat(diffs).extracting(FieldDiff::path).containsExactly("metadata.labels", "data");
    assertThat(diffs.get(0).live()).isEqualTo(Map.of("tier", "db"));
    assertThat(String.valueOf(diffs.get(1).desired())).startsWith("<secret sha256:");
    assertThat(diffs.get(1).live()).isNull();
  }

  @Test
  void namesEveryOtherManagerOfADriftedFieldButNeverItself() {
    Map<String, Object> live = Fixtures.json("deployment-scaled", "live.json");
    Map<String, Object> dryRun = Trees.mutableCopy(live);
    ((Map<String, Object>) dryRun.get("spec")).put("replicas", 3);
    Map<String, Object> selectorDrift = Trees.mutableCopy(live);
    ((Map<String, Object>) selectorDrift.get("spec"))
        .put("selector", Map.of("matchLabels", Map.of("app", "other")));

    Comparison replicas = differ.compare(DryRunResult.accepted(dryRun), live);
    // tidemark owns the selector atomically (f:selector: {}), so nobody else is named.
    Comparison selector = differ.compare(DryRunResult.accepted(selectorDrift), live);

    assertThat(replicas.attributions()).extracting(Attribution::manager).containsExactly("kubectl");
    assertThat(selector.verdict()).isEqualTo(Verdict.DRIFTED);
    assertThat(selector.attributions())
        .extracting(Attribution::path)
        .doesNotContain("spec.selector");
    assertThat(
            new KubernetesDiffer("kubectl")
                .compare(DryRunResult.accepted(dryRun), live)
                .attributions())
        .extracting(Attribution::manager)
        .doesNotContain("kubectl");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstContainer(Map<String, Object> object) {
    Map<String, Object> podSpec =
        (Map<String, Object>) Trees.at(object, "spec", "template", "spec");
    List<Object> containers = (List<Object>) podSpec.get("containers");
    return (Map<String, Object>) containers.get(0);
  }
}
