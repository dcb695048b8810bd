package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.kubernetes.Comparison.Verdict;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fields another manager added to an owned object (recorded from a real kube-apiserver v1.32):
 * found with the manager and time, controllers' writes left alone, and taken over before an apply.
 */
class OutOfBandEditsTest {

  private static final String ENV = "spec.template.spec.containers[name=web].env[name=LOG_LEVEL]";

  private final KubernetesDiffer differ = new KubernetesDiffer("tidemark");

  @Test
  void reportsAVariableThatKubectlSetEnvAddedWithItsManagerAndTime() {
    Comparison result = compare(differ, "deployment-env-added");

    assertThat(result.verdict()).isEqualTo(Verdict.DRIFTED);
    assertThat(result.diffs())
        .containsExactly(
            new FieldDiff(
                ENV,
                null,
                Map.of("name", "LOG_LEVEL", "value", "debug"),
                "kubectl-set at 2026-11-25T20:39:32Z"));
    assertThat(result.attributions())
        .extracting(Attribution::manager)
        .containsExactly("kubectl-set");
  }

  @Test
  void namesTheManagerThatChangedAFieldGitDeclares() {
    Comparison result = compare(differ, "deployment-image-edited");

    assertThat(result.diffs())
        .extracting(FieldDiff::path, FieldDiff::changedBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spec.template.spec.containers[name=web].image",
                "kubectl-set at 2026-11-25T20:39:19Z"));
  }

  @Test
  void aRolloutRestartAndTheControllersWritesAreNotDrift() {
    assertThat(compare(differ, "deployment-rollout-restart").verdict()).isEqualTo(Verdict.IN_SYNC);
    assertThat(compare(differ, "deployment-defaults").verdict()).isEqualTo(Verdict.IN_SYNC);
  }

  @Test
  void aManagerMatchingTheConfiguredControllerGlobsIsNotDrift() {
    KubernetesDiffer lenient =
        new KubernetesDiffer(
            "tidemark", new ControllerManagers(List.of("kube-controller-manager", "kubectl-*")));

    assertThat(compare(lenient, "deployment-env-added").verdict()).isEqualTo(Verdict.IN_SYNC);
  }

  @Test
  void controllerGlobsMatchWholeNames() {
    ControllerManagers rule = ControllerManagers.defaults();

    assertThat(rule.matches("deployment-controller")).isTrue();
    assertThat(rule.matches("kube-controller-manager")).isTrue();
    assertThat(rule.matches("kubectl-rollout")).isTrue();
    assertThat(rule.matches("kubectl-set")).isFalse();
    assertThat(rule.matches("kubectl-controller-x")).isFalse();
  }

  @Test
  void theTakeoverPatchMovesTheOtherManagersFieldsToTidemarkGuardedByTheResourceVersion() {
    Map<String, Object> live = Fixtures.json("deployment-env-added", "live.json");

    List<Map<String, ?>> ops =
        Takeover.patch(live, "tidemark", ControllerManagers.defaults()).orElseThrow();

    assertThat(ops.get(0))
        .isEqualTo(
            Map.of(
                "op",
                "test",
                "path",
                "/metadata/resourceVersion",
                "value",
                Trees.at(live, "metadata", "resourceVersion")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries = (List<Map<String, Object>>) ops.get(1).get("value");
    assertThat(entries)
        .extracting(e -> e.get("manager") + " " + e.get("operation"))
        .containsExactly("tidemark Apply", "kube-controller-manager Update");
    assertThat(
            Trees.at(
                entries.get(0),
                "fieldsV1",
                "f:spec",
                "f:template",
                "f:spec",
                "f:containers",
                "k:{\"name\":\"web\"}",
                "f:env",
                "k:{\"name\":\"LOG_LEVEL\"}"))
        .isNotNull();
    assertThat(Trees.at(entries.get(0), "fieldsV1", "f:spec", "f:replicas")).isNotNull();
  }

  @Test
  void nothingIsTakenOverWhenOnlyTidemarkAndControllersOwnFields() {
    Map<String, Object> live = Fixtures.json("deployment-rollout-restart", "live.json");

    assertThat(Takeover.patch(live, "tidemark", ControllerManagers.defaults())).isEmpty();
  }

  @Test
  void anUpdateTakesOverTheAddedVariableBeforeItApplies() throws Exception {
    RecordingKubeApi api = new RecordingKubeApi();
    Map<String, Object> live = Fixtures.json("deployment-env-added", "live.json");
    api.put(live);
    Takeover takeover = new Takeover(api, "tidemark", ControllerManagers.defaults());

    List<String> managers = takeover.before(LiveObjects.of(live, "shop"));

    assertThat(managers).containsExactly("kubectl-set");
    assertThat(api.calls("patch")).hasSize(1);
    Map<String, Object> stored = api.get("apps/v1", "Deployment", "shop", "web").orElseThrow();
    assertThat(ManagedFields.of(stored).entries())
        .extracting(e -> String.valueOf(e.get("manager")))
        .doesNotContain("kubectl-set");
  }

  @Test
  void aTakeoverOnAnObjectThatMovedSinceTheListReadsItAgainOnce() throws Exception {
    RecordingKubeApi api = new RecordingKubeApi();
    Map<String, Object> listed = Fixtures.json("deployment-env-added", "live.json");
    api.put(listed);
    ObjectKey key = LiveObjects.key(listed);
    api.edit(key, tree -> {}); // a controller wrote: the resourceVersion moved
    Takeover takeover = new Takeover(api, "tidemark", ControllerManagers.defaults());

    assertThat(takeover.before(LiveObjects.of(listed, "shop"))).containsExactly("kubectl-set");
    assertThat(api.calls("patch")).hasSize(2);
    assertThat(api.calls("get")).hasSize(1);
  }

  @Test
  void aDryRunBasedOnANewerObjectThanTheListedOneIsComparedWithThatNewerObject() {
    // Listed: the Deployment as applied. Then the deployment controller writes its revision
    // annotation; the dry-run is computed on that newer object.
    RecordingKubeApi api = new RecordingKubeApi();
    Map<String, Object> listed = owned(deployment("100", Map.of()));
    Map<String, Object> newer =
        owned(deployment("101", Map.of("deployment.kubernetes.io/revision", "1")));
    api.put(newer);
    ObjectKey key = LiveObjects.key(listed);
    api.dryRuns.put(key, DryRunResult.accepted(newer));
    KubernetesTarget target =
        new KubernetesTarget("shop", "shop", api, folder -> "", java.time.Duration.ofMillis(10));
    DesiredObject desired =
        new DesiredObject(key, deployment("", Map.of()), new SourceLocation("web.yaml", 1), false);
    LiveObject snapshot = LiveObjects.of(listed, "shop");

    Comparison result = target.compareInDetail(desired, snapshot);

    assertThat(result.verdict()).isEqualTo(Verdict.IN_SYNC);
    assertThat(api.calls("get")).containsExactly("get " + key);
    assertThat(api.calls("dry-run")).hasSize(1);
  }

  @Test
  void theStaleSnapshotAloneWouldHaveShownTheControllersAnnotationAsDrift() {
    Map<String, Object> listed = owned(deployment("100", Map.of()));
    Map<String, Object> newer =
        owned(deployment("101", Map.of("deployment.kubernetes.io/revision", "1")));

    assertThat(differ.compare(DryRunResult.accepted(newer), listed).verdict())
        .isEqualTo(Verdict.DRIFTED);
  }

  private static Map<String, Object> deployment(String version, Map<String, String> annotations) {
    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("name", "web");
    metadata.put("namespace", "shop");
    if (!version.isEmpty()) {
      metadata.put("resourceVersion", version);
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    return Trees.mutableCopy(
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            metadata,
            "spec",
            Map.of("replicas", 1)));
  }

  private static Map<String, Object> owned(Map<String, Object> tree) {
    return Fixtures.owned(tree, "shop");
  }

  private static Comparison compare(KubernetesDiffer differ, String name) {
    Optional<Map<String, Object>> dryRun = Optional.of(Fixtures.json(name, "dry-run.json"));
    return differ.compare(DryRunResult.accepted(dryRun.get()), Fixtures.json(name, "live.json"));
  }
}
