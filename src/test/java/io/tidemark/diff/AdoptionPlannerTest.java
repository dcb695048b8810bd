package io.tidemark.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.Plan;
import io.tidemark.model.SourceLocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adoption and conflicts in the planner, on literal objects. */
class AdoptionPlannerTest {

  private static final Differ TREES = (d, l) -> TreeDiff.diff(d.spec(), l.spec());

  private static DesiredObject desired(String name, Map<String, Object> spec) {
    return new DesiredObject(
        ObjectKey.of("Service", name), spec, new SourceLocation("stack.yml", 3), false);
  }

  private static LiveObject live(
      String name, Map<String, Object> spec, Map<String, String> labels, Ownership ownership) {
    return new LiveObject(ObjectKey.of("Service", name), spec, labels, "7", ownership);
  }

  private static Plan plan(List<DesiredObject> desired, List<LiveObject> live, boolean adopt) {
    return Planner.plan(
        Pairing.pair(DesiredState.of(desired), new LiveState(live)),
        TREES,
        ObjectKey::compareTo,
        new PlanPolicy(adopt, List.of()));
  }

  private static final Map<String, String> STACK = Map.of(Labels.STACK_NAMESPACE, "shop");

  @Test
  void aConflictCarriesEveryFieldDiffWhoOwnsTheObjectAndNoWrite() {
    Plan plan =
        plan(
            List.of(desired("shop_web", Map.of("Image", "web:2", "Replicas", 2))),
            List.of(
                live(
                    "shop_web", Map.of("Image", "web:1", "Replicas", 2), STACK, Ownership.UNOWNED)),
            false);

    Change change = plan.changes().get(0);
    assertThat(change.type()).isEqualTo(ChangeType.CONFLICT);
    assertThat(change.diffs()).containsExactly(new FieldDiff("Image", "web:2", "web:1"));
    assertThat(change.owner()).isEqualTo("docker stack deploy (stack shop)");
    assertThat(plan.writes()).isEmpty();
  }

  @Test
  void anAdoptingTargetTakesOverAnUnownedObjectWithItsDiff() {
    Plan plan =
        plan(
            List.of(desired("shop_web", Map.of("Image", "web:2"))),
            List.of(live("shop_web", Map.of("Image", "web:1"), STACK, Ownership.UNOWNED)),
            true);

    Change change = plan.changes().get(0);
    assertThat(change.type()).isEqualTo(ChangeType.ADOPT);
    assertThat(change.diffs()).containsExactly(new FieldDiff("Image", "web:2", "web:1"));
    assertThat(plan.writes()).containsExactly(change);
    assertThat(plan.drifted()).isTrue();
  }

  @Test
  void anObjectAsGitSaysIsStillAdoptedForItsOwnershipLabels() {
    Plan plan =
        plan(
            List.of(desired("shop_web", Map.of("Image", "web:1"))),
            List.of(live("shop_web", Map.of("Image", "web:1"), STACK, Ownership.UNOWNED)),
            true);

    assertThat(plan.changes()).extracting(Change::type).containsExactly(ChangeType.ADOPT);
  }

  @Test
  void anObjectAnotherTidemarkTargetOwnsStaysAConflictEvenWhenAdopting() {
    Plan plan =
        plan(
            List.of(desired("shop_web", Map.of("Image", "web:1"))),
            List.of(
                live(
                    "shop_web",
                    Map.of("Image", "web:1"),
                    Map.of(Labels.TARGET, "staging"),
                    Ownership.UNOWNED)),
            true);

    Change change = plan.changes().get(0);
    assertThat(change.type()).isEqualTo(ChangeType.CONFLICT);
    assertThat(change.owner()).isEqualTo("Tidemark target staging");
    assertThat(plan.writes()).isEmpty();
  }

  @Test
  void aSupersededConfigIsDeletedOnlyByAnAdoptingTarget() {
    LiveObject old =
        new LiveObject(
            ObjectKey.of("Config", "shop_nginx"), Map.of(), STACK, "3", Ownership.SUPERSEDED);
    DesiredObject config =
        new DesiredObject(
            ObjectKey.of("Config", "shop_nginx-0123456789"),
            Map.of(),
            new SourceLocation("stack.yml", 9),
            false);

    assertThat(plan(List.of(config), List.of(old), false).changes())
        .extracting(Change::type)
        .containsExactly(ChangeType.CREATE);
    assertThat(plan(List.of(config), List.of(old), true).changes())
        .extracting(c -> c.type() + " " + c.key().name())
        .containsExactly("CREATE shop_nginx-0123456789", "DELETE shop_nginx");
  }

  @Test
  void namesPortainerHelmAndKubernetesFieldManagersAsOwners() {
    LiveObject portainer =
        live(
            "a",
            Map.of(),
            Map.of(Labels.STACK_NAMESPACE, "shop", "io.portainer.accesscontrol.teams", "dev"),
            Ownership.UNOWNED);
    LiveObject helm =
        live(
            "b",
            Map.of(
                "metadata",
                Map.of(
                    "annotations",
                    Map.of("meta.helm.sh/release-name", "db"),
                    "managedFields",
                    List.of(Map.of("manager", "helm"), Map.of("manager", "kubectl-edit")))),
            Map.of(),
            Ownership.UNOWNED);
    LiveObject bare = live("c", Map.of(), Map.of(), Ownership.UNOWNED);

    assertThat(CurrentOwner.of(portainer)).isEqualTo("Portainer; docker stack deploy (stack shop)");
    assertThat(CurrentOwner.of(helm))
        .isEqualTo("Helm release db; field managers helm, kubectl-edit");
    assertThat(CurrentOwner.of(bare)).isEqualTo("unknown: no owner label");
  }
}
