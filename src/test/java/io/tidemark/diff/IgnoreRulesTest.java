package io.tidemark.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.IgnoredPath;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.Plan;
import io.tidemark.model.SourceLocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ignore rules: which objects and fields they match, and what the planner makes of them. */
class IgnoreRulesTest {

  private static Plan plan(
      ObjectKey key, Map<String, Object> desired, Map<String, Object> live, IgnoreRule... rules) {
    return Planner.plan(
        Pairing.pair(
            DesiredState.of(
                List.of(new DesiredObject(key, desired, new SourceLocation("f.yml", 1), false))),
            new LiveState(List.of(new LiveObject(key, live, Map.of(), "1", Ownership.OWNED)))),
        (d, l) -> TreeDiff.diff(d.spec(), l.spec()),
        ObjectKey::compareTo,
        new PlanPolicy(false, List.of(rules)));
  }

  private static final ObjectKey WEB = ObjectKey.of("Service", "shop_web");

  @Test
  void aScaledServiceWithReplicasIgnoredIsInSyncAndTheRuleIsListed() {
    Plan plan =
        plan(
            WEB,
            Map.of("Mode", Map.of("Replicated", Map.of("Replicas", 2))),
            Map.of("Mode", Map.of("Replicated", Map.of("Replicas", 5))),
            IgnoreRule.of("ignore[0]", "Service", "shop_*", "Mode.Replicated.Replicas"));

    Change change = plan.changes().get(0);
    assertThat(change.type()).isEqualTo(ChangeType.IN_SYNC);
    assertThat(change.ignored())
        .containsExactly(new IgnoredPath("ignore[0]", "Mode.Replicated.Replicas", true));
    assertThat(change.ignoredPaths()).containsExactly("Mode.Replicated.Replicas");
    assertThat(plan.drifted()).isFalse();
  }

  @Test
  void otherFieldsStillDriftBesideAnIgnoredOne() {
    Plan plan =
        plan(
            WEB,
            Map.of("Image", "web:2", "Mode", Map.of("Replicated", Map.of("Replicas", 2))),
            Map.of("Image", "web:1", "Mode", Map.of("Replicated", Map.of("Replicas", 5))),
            IgnoreRule.of("ignore[0]", "Service", "*", "Mode.Replicated.Replicas"));

    assertThat(plan.changes().get(0).type()).isEqualTo(ChangeType.UPDATE);
    assertThat(plan.changes().get(0).diffs())
        .containsExactly(new FieldDiff("Image", "web:2", "web:1"));
  }

  @Test
  void aRuleForAnotherNameOrKindDoesNotApply() {
    IgnoreRule rule = IgnoreRule.of("ignore[0]", "Service", "shop_db", "Mode");
    Plan plan = plan(WEB, Map.of("Mode", "a"), Map.of("Mode", "b"), rule);

    assertThat(plan.changes().get(0).type()).isEqualTo(ChangeType.UPDATE);
    assertThat(plan.changes().get(0).ignored()).isEmpty();
    assertThat(IgnoreRule.of("r", "Config", "*", "Data").matches(WEB)).isFalse();
  }

  @Test
  void aKubernetesKindMatchesWithOrWithoutItsGroup() {
    ObjectKey deployment = new ObjectKey("Deployment.apps", "shop", "web");
    assertThat(IgnoreRule.of("r", "Deployment", "web", "spec.replicas").matches(deployment))
        .isTrue();
    assertThat(IgnoreRule.of("r", "deployment.apps", "w?b", "spec.replicas").matches(deployment))
        .isTrue();
    assertThat(IgnoreRule.of("r", "", "", "spec.replicas").matches(deployment)).isTrue();
  }

  @Test
  void aQuotedAnnotationPathHidesExactlyThatAnnotation() {
    ObjectKey key = new ObjectKey("Deployment.apps", "shop", "web");
    Plan plan =
        plan(
            key,
            Map.of("metadata", Map.of("annotations", Map.of("example.com/x", "1", "a.b/c", "1"))),
            Map.of("metadata", Map.of("annotations", Map.of("example.com/x", "2", "a.b/c", "2"))),
            IgnoreRule.of(
                "ignore[1]", "Deployment", "*", " metadata.annotations[\"example.com/x\"] "));

    assertThat(plan.changes().get(0).diffs())
        .extracting(FieldDiff::path)
        .containsExactly("metadata.annotations[\"a.b/c\"]");
  }

  @Test
  void pathsParseInTheReportsSyntax() {
    assertThat(FieldPaths.parse("spec.template.spec.containers[name=web].image"))
        .containsExactly("spec", "template", "spec", "containers", "[name=web]", "image");
    assertThat(FieldPaths.parse("Labels[\"io.tidemark/target\"]"))
        .containsExactly("Labels", "io.tidemark/target");
    assertThat(FieldPaths.parse("spec.ports[0].port"))
        .containsExactly("spec", "ports", "[0]", "port");
    assertThat(FieldPaths.covers(FieldPaths.parse("spec.replicas"), "spec.replicas")).isTrue();
    assertThat(FieldPaths.covers(FieldPaths.parse("spec"), "spec.replicas")).isTrue();
    assertThat(FieldPaths.covers(FieldPaths.parse("spec.replica"), "spec.replicas")).isFalse();
  }

  @Test
  void aRuleWithoutPathsOrWithABrokenPathIsRefusedWithItsKey() {
    assertThatThrownBy(() -> IgnoreRule.of("tidemark.targets.t.ignore[0]", "Service", "*", " , "))
        .hasMessageContaining("tidemark.targets.t.ignore[0].paths");
    assertThatThrownBy(() -> IgnoreRule.of("tidemark.targets.t.ignore[1]", "Service", "*", "a[\"b"))
        .hasMessageContaining("tidemark.targets.t.ignore[1].paths");
  }
}
