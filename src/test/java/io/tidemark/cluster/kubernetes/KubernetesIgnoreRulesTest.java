package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.diff.Differ;
import io.tidemark.diff.IgnoreRule;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.PlanPolicy;
import io.tidemark.diff.Planner;
import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Ignore rules on the Kubernetes side, on responses recorded from a real kube-apiserver v1.32
 * (fixtures/kubernetes): an ignored field is not drift, and is left out of the applied object when
 * its live value is not Git's.
 */
class KubernetesIgnoreRulesTest {

  private static final String TARGET = "tidemark-test";
  private final KubernetesDiffer differ = new KubernetesDiffer("tidemark");

  /**
   * The planner's view of one recorded case: the recorded dry-run compared with the live object.
   */
  private Change plan(String name, IgnoreRule... rules) {
    Map<String, Object> live = Fixtures.owned(Fixtures.json(name, "live.json"), TARGET);
    Map<String, Object> dryRun = Fixtures.owned(Fixtures.json(name, "dry-run.json"), TARGET);
    LiveObject liveObject = LiveObjects.of(live, TARGET);
    Map<String, Object> manifest = new Yaml().load(Fixtures.text(name, "desired.yaml"));
    DesiredObject desired =
        new DesiredObject(liveObject.key(), manifest, new SourceLocation(name + ".yaml", 1), false);
    Differ recorded = (d, l) -> differ.compare(DryRunResult.accepted(dryRun), l.spec()).diffs();
    return Planner.plan(
            Pairing.pair(DesiredState.of(List.of(desired)), new LiveState(List.of(liveObject))),
            recorded,
            new ApplyOrder(),
            new PlanPolicy(false, List.of(rules)))
        .changes()
        .get(0);
  }

  @Test
  void aDeploymentScaledByKubectlIsInSyncWhenItsReplicasAreIgnored() {
    assertThat(plan("deployment-scaled").type()).isEqualTo(ChangeType.UPDATE);

    Change change =
        plan("deployment-scaled", IgnoreRule.of("ignore[0]", "Deployment", "*", "spec.replicas"));

    assertThat(change.type()).isEqualTo(ChangeType.IN_SYNC);
    assertThat(change.ignored())
        .extracting(Object::toString)
        .containsExactly("spec.replicas (ignore[0], differs live)");
  }

  @Test
  void anImageEditStillDriftsBesideAnIgnoredField() {
    Change change =
        plan(
            "deployment-image-edited",
            IgnoreRule.of("ignore[0]", "Deployment.apps", "*", "spec.replicas"));

    assertThat(change.type()).isEqualTo(ChangeType.UPDATE);
    assertThat(change.diffs())
        .containsExactly(
            new FieldDiff(
                "spec.template.spec.containers[name=web].image",
                "nginx:1.27",
                "nginx:1.28",
                "kubectl-set at 2026-11-25T20:39:19Z"));
  }

  @Test
  void theAppliedObjectLeavesOutAnIgnoredFieldThatDiffersLiveAndKeepsOneThatDoesNot() {
    Change scaled =
        plan("deployment-scaled", IgnoreRule.of("ignore[0]", "Deployment", "*", "spec.replicas"));
    Change update =
        new Change(
            scaled.key(),
            ChangeType.UPDATE,
            List.of(),
            scaled.desired(),
            scaled.live(),
            "",
            scaled.ignored());

    DesiredObject sent = IgnoredApply.without(update);

    assertThat(Trees.at(sent.spec(), "spec", "replicas")).isNull();
    assertThat(Trees.at(sent.spec(), "spec", "template")).isNotNull();

    Change same =
        plan(
            "deployment-image-edited",
            IgnoreRule.of("ignore[0]", "Deployment", "*", "spec.replicas"));
    assertThat(Trees.at(IgnoredApply.without(same).spec(), "spec", "replicas"))
        .isEqualTo(Trees.at(same.desired().spec(), "spec", "replicas"));
  }
}
