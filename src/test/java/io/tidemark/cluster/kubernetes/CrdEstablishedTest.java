package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom resources are applied only once the CRD that the same apply wrote is Established, on the
 * crd-and-cr recording (a CRD and one of its custom resources, from a real kube-apiserver v1.32).
 * The not-yet-Established states are the recorded CRD with its conditions edited by the test.
 */
class CrdEstablishedTest {

  private static final RevisionInfo REVISION = new RevisionInfo("abc123", "a", "m", null);
  private static final ObjectKey CRD =
      ObjectKey.of(
          "CustomResourceDefinition.apiextensions.k8s.io", "backupschedules.ops.example.com");
  private static final ObjectKey CR =
      new ObjectKey("BackupSchedule.ops.example.com", "shop", "mysql-nightly");

  @TempDir Path repo;
  private final RecordingKubeApi api = new RecordingKubeApi();

  @BeforeEach
  void repository() throws Exception {
    Files.writeString(repo.resolve("crd.yaml"), Fixtures.text("crd-and-cr", "crd.yaml"));
    Files.writeString(repo.resolve("backup.yaml"), Fixtures.text("crd-and-cr", "desired.yaml"));
  }

  @Test
  void appliesTheCustomResourceOnlyAfterItsNewCrdIsEstablished() throws Exception {
    KubernetesTarget target = target(Duration.ofSeconds(10));
    api.afterApply.put(
        CRD, new ArrayDeque<>(List.of(withoutEstablished(), withoutEstablished(), recordedCrd())));
    Plan plan = plan(target);
    api.calls.clear();

    ApplyResult result = target.apply(plan, REVISION, true);

    assertThat(result.results())
        .extracting(r -> r.outcome() + " " + r.key())
        .containsExactly("CREATED " + CRD, "CREATED " + CR);
    assertThat(api.calls)
        .containsSubsequence(
            "apply " + CRD + " force",
            "get " + CRD,
            "get " + CRD,
            "get " + CRD,
            "apply " + CR + " force");
    assertThat(api.calls("get")).filteredOn(("get " + CRD)::equals).hasSize(3);
  }

  @Test
  void failsTheCustomResourceWhenItsCrdIsNotEstablishedInTime() throws Exception {
    KubernetesTarget target = target(Duration.ofMillis(200));
    api.afterApply.put(CRD, new ArrayDeque<>(List.of(establishedFalse())));

    ApplyResult result = target.apply(plan(target), REVISION, true);

    assertThat(outcome(result, CRD).failed()).isFalse();
    assertThat(outcome(result, CR).failed()).isTrue();
    assertThat(outcome(result, CR).message())
        .isEqualTo(
            "CustomResourceDefinition backupschedules.ops.example.com is not Established after"
                + " 0.2s: Established is False: waiting for the names");
    assertThat(api.calls("apply")).doesNotContain("apply " + CR + " force");
  }

  @Test
  void failsTheCustomResourceAtOnceWhenItsCrdFailedToApply() throws Exception {
    KubernetesTarget target = target(Duration.ofSeconds(10));
    api.refuseApply(
        CRD, new ApiStatus(422, "Invalid", "spec.names.plural: Invalid value: \"x\"", List.of()));
    Plan plan = plan(target);
    api.calls.clear();

    ApplyResult result = target.apply(plan, REVISION, true);

    assertThat(outcome(result, CRD).failed()).isTrue();
    assertThat(outcome(result, CR).message())
        .isEqualTo("its CustomResourceDefinition backupschedules.ops.example.com failed to apply");
    assertThat(api.calls("get")).doesNotContain("get " + CRD);
    assertThat(api.calls("apply")).doesNotContain("apply " + CR + " force");
  }

  @Test
  void doesNotWaitForACrdThatThisApplyDidNotWrite() throws Exception {
    KubernetesTarget target = target(Duration.ofSeconds(10));
    api.put(Fixtures.owned(recordedCrd(), "shop"));
    api.dryRuns.put(
        CRD,
        DryRunResult.accepted(
            Fixtures.owned(Fixtures.json("crd-and-cr", "crd-dry-run.json"), "shop")));

    Plan plan = plan(target);
    api.calls.clear();
    ApplyResult result = target.apply(plan, REVISION, true);

    assertThat(plan.changes())
        .extracting(c -> c.type() + " " + c.key())
        .containsExactly("IN_SYNC " + CRD, "CREATE " + CR);
    assertThat(outcome(result, CR).failed()).isFalse();
    assertThat(api.calls("get")).doesNotContain("get " + CRD);
  }

  private KubernetesTarget target(Duration crdTimeout) {
    return new KubernetesTarget(
        "shop", "shop", api, folder -> "", Duration.ofMillis(10), crdTimeout);
  }

  private Plan plan(KubernetesTarget target) throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  private static Map<String, Object> recordedCrd() {
    return Fixtures.owned(Fixtures.json("crd-and-cr", "crd-live.json"), "shop");
  }

  /** The recorded CRD as it is before the server set its Established condition. */
  private static Map<String, Object> withoutEstablished() {
    return withConditions(
        List.of(Map.of("type", "NamesAccepted", "status", "True", "reason", "NoConflicts")));
  }

  private static Map<String, Object> establishedFalse() {
    return withConditions(
        List.of(
            Map.of("type", "NamesAccepted", "status", "True"),
            Map.of(
                "type", "Established",
                "status", "False",
                "reason", "Installing",
                "message", "waiting for the names")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withConditions(List<Map<String, Object>> conditions) {
    Map<String, Object> crd = recordedCrd();
    ((Map<String, Object>) crd.get("status")).put("conditions", Trees.copyValue(conditions));
    return crd;
  }

  private static ObjectResult outcome(ApplyResult result, ObjectKey key) {
    return result.results().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
  }
}
