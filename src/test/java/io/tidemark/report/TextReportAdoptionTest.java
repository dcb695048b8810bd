package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How conflicts, adoptions and ignore rules read in the text report. */
class TextReportAdoptionTest {

  private static ObjectReport object(
      ChangeType change, String owner, String hint, List<String> ignored, FieldDiff... diffs) {
    return new ObjectReport(
        "Service/shop_web",
        "Service",
        "",
        "shop_web",
        change,
        List.of(diffs),
        "stack.yml:3",
        null,
        "",
        null,
        "",
        owner,
        hint,
        ignored);
  }

  private static String render(ObjectReport object) {
    Map<ChangeType, Integer> summary = new EnumMap<>(ChangeType.class);
    for (ChangeType type : ChangeType.values()) {
      summary.put(type, type == object.change() ? 1 : 0);
    }
    DriftReport report =
        new DriftReport(
            "run-1",
            "shop",
            Mode.DETECT,
            Trigger.cli(),
            null,
            Instant.parse("2025-03-01T10:16:00Z"),
            12,
            RunResult.DRIFT_DETECTED,
            false,
            "",
            List.of(),
            summary,
            List.of(object));
    return TextReport.render(report, false);
  }

  @Test
  void aConflictShowsItsFieldDiffItsOwnerAndHowToAdoptIt() {
    String text =
        render(
            object(
                ChangeType.CONFLICT,
                "docker stack deploy (stack shop)",
                "to take it over, set tidemark.targets.shop.adopt=true (CLI: --adopt)",
                List.of(),
                new FieldDiff("TaskTemplate.ContainerSpec.Env.DEBUG", null, "1")));

    assertThat(text)
        .contains(
            "--- live Service/shop_web (not owned by this target: docker stack deploy (stack"
                + " shop))\n")
        .contains("- TaskTemplate.ContainerSpec.Env.DEBUG: \"1\"\n")
        .contains("! to take it over, set tidemark.targets.shop.adopt=true (CLI: --adopt)\n")
        .contains("Plan: 0 to create, 0 to update, 0 to delete, 1 conflicts, 0 in sync");
  }

  @Test
  void anAdoptionShowsItsDiffAndIsCountedInThePlanLine() {
    String text =
        render(
            object(
                ChangeType.ADOPT,
                "docker stack deploy (stack shop)",
                "",
                List.of("Mode.Replicated.Replicas (ignore[0], differs live)"),
                new FieldDiff("Labels[\"io.tidemark/target\"]", "shop", null)));

    assertThat(text)
        .contains("ADOPT Service/shop_web\n")
        .contains("+ Labels[\"io.tidemark/target\"]: shop\n")
        .contains("Plan: 0 to create, 0 to update, 1 to adopt, 0 to delete, 0 conflicts")
        .contains("Ignored: Service/shop_web Mode.Replicated.Replicas (ignore[0], differs live)");
  }
}
