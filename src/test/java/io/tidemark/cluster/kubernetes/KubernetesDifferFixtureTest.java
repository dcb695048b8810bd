package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.kubernetes.Comparison.Verdict;
import io.tidemark.model.FieldDiff;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case recorded from a real kube-apiserver v1.32 (fixtures/kubernetes, see its README): the
 * recorded dry-run answer and live object go through the differ, and the verdict is the case's.
 */
class KubernetesDifferFixtureTest {

  private static final Map<String, Verdict> VERDICTS = new TreeMap<>();

  static {
    VERDICTS.put("configmap-changed", Verdict.DRIFTED);
    VERDICTS.put("crd-and-cr", Verdict.IN_SYNC);
    VERDICTS.put("deleted", Verdict.MISSING);
    VERDICTS.put("deployment-defaults", Verdict.IN_SYNC);
    VERDICTS.put("deployment-env-added", Verdict.DRIFTED);
    VERDICTS.put("deployment-image-edited", Verdict.DRIFTED);
    VERDICTS.put("deployment-probe-removed", Verdict.DRIFTED);
    VERDICTS.put("deployment-rollout-restart", Verdict.IN_SYNC);
    VERDICTS.put("deployment-scaled", Verdict.DRIFTED);
    VERDICTS.put("explicit-default", Verdict.IN_SYNC);
    VERDICTS.put("ingress-defaults", Verdict.IN_SYNC);
    VERDICTS.put("job-immutable", Verdict.REFUSED);
    VERDICTS.put("networkpolicy-defaults", Verdict.IN_SYNC);
    VERDICTS.put("quantity-normalization", Verdict.IN_SYNC);
    VERDICTS.put("secret-changed", Verdict.DRIFTED);
    VERDICTS.put("secret-stringdata", Verdict.IN_SYNC);
    VERDICTS.put("service-clusterip", Verdict.IN_SYNC);
    VERDICTS.put("service-nodeport", Verdict.IN_SYNC);
    VERDICTS.put("statefulset-defaults", Verdict.IN_SYNC);
  }

  private final KubernetesDiffer differ = new KubernetesDiffer("tidemark");

  static Iterable<String> cases() {
    return VERDICTS.keySet();
  }

  @Test
  void everyRecordedCaseHasAnExpectedVerdict() {
    assertThat(Fixtures.cases()).containsExactlyElementsOf(VERDICTS.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachRecordedCaseGetsItsRecordedVerdict(String name) {
    assertThat(compare(name).verdict()).isEqualTo(VERDICTS.get(name));
  }

  @Test
  void reportsKubectlScaleAsDriftOfSpecReplicasNamingKubectl() {
    Comparison result = compare("deployment-scaled");

    assertThat(result.diffs()).containsExactly(new FieldDiff("spec.replicas", 3, 5, "kubectl"));
    assertThat(result.attributions())
        .containsExactly(new Attribution("spec.replicas", "kubectl", "Update", "scale"));
  }

  @Test
  void namesTheSameManagerAsTheServersOwnConflictReport() {
    for (String name :
        new String[] {"deployment-scaled", "configmap-changed", "deployment-image-edited"}) {
      ApiStatus conflict = ApiStatus.fromTree(Fixtures.json(name, "dry-run-noforce-409.json"));
      Attribution attribution = compare(name).attributions().get(0);

      assertThat(conflict.conflict()).isTrue();
      assertThat(conflict.message()).contains("conflict with \"" + attribution.manager() + "\"");
    }
  }

  @Test
  void reportsAnImageSetOutOfBandAtTheContainerNamedWeb() {
    Comparison result = compare("deployment-image-edited");

    assertThat(result.diffs())
        .containsExactly(
            new FieldDiff(
                "spec.template.spec.containers[name=web].image",
                "nginx:1.27",
                "nginx:1.28",
                "kubectl-set at 2026-11-25T20:39:19Z"));
    assertThat(result.attributions())
        .extracting(Attribution::manager)
        .containsExactly("kubectl-set");
  }

  @Test
  void reportsARemovedProbeWithItsDesiredValueAndNoManager() {
    Comparison result = compare("deployment-probe-removed");

    assertThat(result.diffs()).hasSize(1);
    FieldDiff diff = result.diffs().get(0);
    assertThat(diff.path()).isEqualTo("spec.template.spec.containers[name=web].readinessProbe");
    assertThat(diff.live()).isNull();
    assertThat(diff.desired())
        .isEqualTo(
            Map.of(
                "httpGet", Map.of("path", "/", "port", "http", "scheme", "HTTP"),
                "timeoutSeconds", 1,
                "periodSeconds", 10,
                "successThreshold", 1,
                "failureThreshold", 3));
    // A manager that only removed a field owns nothing: no one to name.
    assertThat(result.attributions()).isEmpty();
  }

  @Test
  void reportsAConfigMapKeyPatchedOutOfBandAndNothingElse() {
    Comparison result = compare("configmap-changed");

    assertThat(result.diffs())
        .containsExactly(
            new FieldDiff(
                "data.LOG_LEVEL", "info", "debug", "kubectl-patch at 2026-11-25T20:41:09Z"));
    assertThat(result.attributions())
        .extracting(Attribution::manager)
        .containsExactly("kubectl-patch");
  }

  @Test
  void reportsAChangedSecretValueMaskedOnly() {
    Comparison result = compare("secret-changed");

    assertThat(result.diffs()).hasSize(1);
    FieldDiff diff = result.diffs().get(0);
    assertThat(diff.path()).isEqualTo("data.MYSQL_PASSWORD");
    assertThat(String.valueOf(diff.desired())).startsWith("<secret sha256:");
    assertThat(String.valueOf(diff.live()))
        .startsWith("<secret sha256:")
        .isNotEqualTo(diff.desired());
    assertThat(result.toString())
        .doesNotContain("Q0hBTkdFRF9vdXRfb2ZfYmFuZA==", "Q0hBTkdFX01FX2FwcF9wYXNzd29yZA==")
        .doesNotContain("CHANGED_out_of_band", "CHANGE_ME_app_password");
    assertThat(result.attributions())
        .extracting(Attribution::manager)
        .containsExactly("kubectl-patch");
  }

  @Test
  void reportsADeletedObjectAsMissingWithoutFieldDiffs() {
    assertThat(Fixtures.json("deleted", "live-404.json")).containsEntry("code", 404);
    DryRunResult created = DryRunResult.accepted(Fixtures.json("deleted", "dry-run.json"));

    assertThat(created.wouldCreate()).isTrue();
    // Even next to a stale live copy, a dry-run that would create means the object is gone.
    Comparison stale = differ.compare(created, Fixtures.json("deployment-defaults", "live.json"));
    assertThat(stale.verdict()).isEqualTo(Verdict.MISSING);
    assertThat(stale.diffs()).isEmpty();
  }

  @Test
  void reportsTheCustomResourceDefinitionItselfInSync() {
    Comparison crd =
        differ.compare(
            DryRunResult.accepted(Fixtures.json("crd-and-cr", "crd-dry-run.json")),
            Fixtures.json("crd-and-cr", "crd-live.json"));

    assertThat(crd.verdict()).isEqualTo(Verdict.IN_SYNC);
  }

  @Test
  void reportsAnImmutableJobTemplateWithTheServersFieldAndNoValueDump() {
    for (String file : new String[] {"dry-run-error.json", "apply-error.json"}) {
      ApiStatus status = ApiStatus.fromTree(Fixtures.json("job-immutable", file));
      Comparison result =
          differ.compare(DryRunResult.refused(status), Fixtures.json("job-immutable", "live.json"));

      assertThat(status.immutable()).isTrue();
      assertThat(status.causes())
          .extracting(ApiStatus.Cause::field)
          .containsExactly("spec.template");
      assertThat(result.reason()).isEqualTo("422 Invalid: spec.template: field is immutable");
    }
  }

  @Test
  void reportsThePreviousJobRevisionInSync() {
    Comparison result =
        differ.compare(
            DryRunResult.accepted(Fixtures.json("job-immutable", "dry-run-previous.json")),
            Fixtures.json("job-immutable", "live.json"));

    assertThat(result.verdict()).isEqualTo(Verdict.IN_SYNC);
  }

  @Test
  void ignoresGenerationManagedFieldsAndStatusInEveryDriftCase() {
    for (String name : VERDICTS.keySet()) {
      if (VERDICTS.get(name) == Verdict.DRIFTED) {
        assertThat(compare(name).diffs())
            .extracting(FieldDiff::path)
            .noneMatch(p -> p.startsWith("metadata") || p.startsWith("status"));
      }
    }
  }

  private Comparison compare(String name) {
    return switch (name) {
      case "deleted" ->
          differ.compare(DryRunResult.accepted(Fixtures.json(name, "dry-run.json")), null);
      case "job-immutable" ->
          differ.compare(
              DryRunResult.refused(ApiStatus.fromTree(Fixtures.json(name, "dry-run-error.json"))),
              Fixtures.json(name, "live.json"));
      default ->
          differ.compare(
              DryRunResult.accepted(Fixtures.json(name, "dry-run.json")),
              Fixtures.json(name, "live.json"));
    };
  }
}
