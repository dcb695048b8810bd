package io.tidemark.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.Plan;
import io.tidemark.model.SourceLocation;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static final Comparator<ObjectKey> NETWORKS_FIRST =
      Comparator.<ObjectKey>comparingInt(k -> k.kind().equals("Network") ? 0 : 1)
          .thenComparing(ObjectKey::name);

  private static DesiredObject desired(String kind, String name, Map<String, Object> spec) {
    return new DesiredObject(
        ObjectKey.of(kind, name), spec, new SourceLocation("stack.yml", 3), false);
  }

  private static LiveObject live(
      String kind, String name, Map<String, Object> spec, Ownership owner) {
    return new LiveObject(ObjectKey.of(kind, name), spec, Map.of(), "7", owner);
  }

  private static Plan plan(List<DesiredObject> desired, List<LiveObject> live) {
    return Planner.plan(
        Pairing.pair(DesiredState.of(desired), new LiveState(live)),
        (d, l) -> TreeDiff.diff(d.spec(), l.spec()),
        NETWORKS_FIRST);
  }

  @Test
  void createsWhatIsDesiredAndNotLive() {
    Plan plan = plan(List.of(desired("Service", "web", Map.of("Image", "a"))), List.of());
    assertThat(plan.changes()).extracting(Change::type).containsExactly(ChangeType.CREATE);
  }

  @Test
  void updatesWithTheFieldThatDiffers() {
    Plan plan =
        plan(
            List.of(desired("Service", "web", Map.of("Image", "a:2"))),
            List.of(live("Service", "web", Map.of("Image", "a:1"), Ownership.OWNED)));
    assertThat(plan.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(ChangeType.UPDATE);
              assertThat(c.diffs()).containsExactly(new FieldDiff("Image", "a:2", "a:1"));
            });
  }

  @Test
  void leavesIdenticalObjectsInSync() {
    Plan plan =
        plan(
            List.of(desired("Service", "web", Map.of("Image", "a"))),
            List.of(live("Service", "web", Map.of("Image", "a"), Ownership.OWNED)));
    assertThat(plan.drifted()).isFalse();
    assertThat(plan.writes()).isEmpty();
  }

  @Test
  void prunesOwnedObjectsThatLeftGitAfterEverythingElseInReverseOrder() {
    Plan plan =
        plan(
            List.of(desired("Service", "web", Map.of())),
            List.of(
                live("Network", "old-net", Map.of(), Ownership.OWNED),
                live("Service", "old-svc", Map.of(), Ownership.OWNED)));
    assertThat(plan.changes())
        .extracting(c -> c.type() + " " + c.key().name())
        .containsExactly("CREATE web", "DELETE old-svc", "DELETE old-net");
  }

  @Test
  void neverTouchesUnownedObjectsAndReportsNamesakesAsConflicts() {
    Plan plan =
        plan(
            List.of(desired("Service", "web", Map.of("Image", "a"))),
            List.of(
                live("Service", "web", Map.of("Image", "other"), Ownership.UNOWNED),
                live("Service", "hand-made", Map.of(), Ownership.UNOWNED)));
    assertThat(plan.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(ChangeType.CONFLICT);
              assertThat(c.key().name()).isEqualTo("web");
            });
    assertThat(plan.writes()).isEmpty();
  }

  @Test
  void masksTheValuesOfSecretObjects() {
    DesiredObject secret =
        new DesiredObject(
            ObjectKey.of("Secret", "db"),
            Map.of("Data", "hunter2"),
            new SourceLocation("s.yml", 1),
            true);
    Plan plan =
        Planner.plan(
            Pairing.pair(
                DesiredState.of(List.of(secret)),
                new LiveState(
                    List.of(live("Secret", "db", Map.of("Data", "swordfish"), Ownership.OWNED)))),
            (d, l) -> TreeDiff.diff(d.spec(), l.spec()),
            NETWORKS_FIRST);
    FieldDiff diff = plan.changes().get(0).diffs().get(0);
    assertThat(diff.path()).isEqualTo("Data");
    assertThat(String.valueOf(diff.desired()))
        .startsWith("<secret sha256:")
        .doesNotContain("hunter2");
    assertThat(String.valueOf(diff.live()))
        .startsWith("<secret sha256:")
        .doesNotContain("swordfish");
    assertThat(diff.desired()).isNotEqualTo(diff.live());
  }
}
