package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.diff.SecretMask;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextReportTest {

  private static final RevisionInfo REVISION =
      new RevisionInfo(
          "3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
          "Platform Team",
          "web: three replicas\n\nlonger body",
          Instant.parse("2025-03-01T10:15:30Z"));

  private static ObjectReport object(
      String kind, String name, ChangeType change, String source, FieldDiff... diffs) {
    return new ObjectReport(
        kind + "/" + name, kind, "", name, change, List.of(diffs), source, null, "", null, "");
  }

  private static DriftReport report(
      Mode mode, RunResult result, String note, List<String> errors, List<ObjectReport> objects) {
    Map<ChangeType, Integer> summary = new java.util.EnumMap<>(ChangeType.class);
    for (ChangeType type : ChangeType.values()) {
      summary.put(type, 0);
    }
    objects.forEach(o -> summary.merge(o.change(), 1, Integer::sum));
    return new DriftReport(
        "run-1",
        "web",
        mode,
        Trigger.webhook("github", "d-42"),
        errors.isEmpty() || !objects.isEmpty() ? REVISION : null,
        Instant.parse("2025-03-01T10:16:00Z"),
        1234,
        result,
        objects.stream().anyMatch(o -> o.outcome() != null),
        note,
        errors,
        summary,
        objects);
  }

  @Test
  void aDriftedPlanRendersAHeaderAUnifiedDiffPerObjectAndTheCounts() {
    DriftReport report =
        report(
            Mode.DETECT,
            RunResult.DRIFT_DETECTED,
            "",
            List.of(),
            List.of(
                object(
                    "Service",
                    "platform_web",
                    ChangeType.UPDATE,
                    "stacks/web/docker-stack.yml:3",
                    new FieldDiff("Mode.Replicated.Replicas", 1, 3),
                    new FieldDiff(
                        "TaskTemplate.ContainerSpec.Env", List.of("A=1", "B=2"), List.of("A=1")),
                    new FieldDiff("Labels.tier", "backend", null)),
                object("Service", "platform_api", ChangeType.CREATE, "stacks/web/api.yml:1"),
                object("Config", "platform_old", ChangeType.DELETE, ""),
                object("Network", "platform_default", ChangeType.IN_SYNC, "x.yml:1")));

    assertThat(TextReport.render(report, false))
        .isEqualTo(
            """
            target:   web
            revision: 3f2a1b4c5d6e  Platform Team  2025-03-01T10:15:30Z  "web: three replicas"
            trigger:  webhook github (delivery d-42)
            mode:     detect
            result:   DRIFT_DETECTED
            duration: 1.2s

            UPDATE Service/platform_web
            --- live Service/platform_web
            +++ desired Service/platform_web (stacks/web/docker-stack.yml:3)
            - Mode.Replicated.Replicas: 3
            + Mode.Replicated.Replicas: 1
            - TaskTemplate.ContainerSpec.Env:
            -   - A=1
            + TaskTemplate.ContainerSpec.Env:
            +   - A=1
            +   - B=2
            + Labels.tier: backend

            CREATE Service/platform_api
            --- live Service/platform_api (absent)
            +++ desired Service/platform_api (stacks/web/api.yml:1)
            + (whole object)

            DELETE Config/platform_old
            --- live Config/platform_old
            +++ desired Config/platform_old (absent: no longer in Git)
            - (whole object)

            Plan: 1 to create, 1 to update, 1 to delete, 0 conflicts, 1 in sync
            """);
  }

  @Test
  void anInvalidRevisionShowsEveryErrorWithFileAndLine() {
    DriftReport report =
        report(
            Mode.APPLY,
            RunResult.INVALID_REVISION,
            "",
            List.of(
                "stacks/web/docker-stack.yml:4: mapping values are not allowed here",
                "stacks/web/other.yml:9: services.api.image must be a string"),
            List.of());

    assertThat(TextReport.render(report, false))
        .isEqualTo(
            """
            target:   web
            revision: -
            trigger:  webhook github (delivery d-42)
            mode:     apply
            result:   INVALID_REVISION
            duration: 1.2s
            errors:   2
              stacks/web/docker-stack.yml:4: mapping values are not allowed here
              stacks/web/other.yml:9: services.api.image must be a string

            Plan: 0 to create, 0 to update, 0 to delete, 0 conflicts, 0 in sync
            """);
  }

  @Test
  void anAppliedRunShowsEachOutcomeAndHealthAndTheNote() {
    ObjectReport failed =
        new ObjectReport(
            "Service/platform_db",
            "Service",
            "",
            "platform_db",
            ChangeType.UPDATE,
            List.of(new FieldDiff("TaskTemplate.ContainerSpec.Image", "mysql:8.4", "mysql:8.0")),
            "db.yml:2",
            ApplyOutcome.FAILED,
            "rpc error: update out of sequence",
            null,
            "");
    ObjectReport created =
        new ObjectReport(
            "Service/platform_web",
            "Service",
            "",
            "platform_web",
            ChangeType.CREATE,
            List.of(),
            "web.yml:2",
            ApplyOutcome.CREATED,
            "",
            HealthStatus.HEALTHY,
            "1/1 tasks running");
    DriftReport report =
        report(
            Mode.APPLY,
            RunResult.APPLY_FAILED,
            "Git fetch failed; using the last fetched revision 3f2a1b4c5d6e.",
            List.of(),
            List.of(failed, created));

    String text = TextReport.render(report, false);

    assertThat(text)
        .contains("note:     Git fetch failed; using the last fetched revision 3f2a1b4c5d6e.\n")
        .contains(
            "- TaskTemplate.ContainerSpec.Image: mysql:8.0\n"
                + "+ TaskTemplate.ContainerSpec.Image: mysql:8.4\n"
                + "  => failed (db.yml:2): rpc error: update out of sequence\n")
        .contains("+ (whole object)\n  => created, health healthy: 1/1 tasks running\n")
        .endsWith(
            "Plan: 1 to create, 1 to update, 0 to delete, 0 conflicts, 0 in sync\n"
                + "Apply: 1 created, 1 failed\n");
  }

  @Test
  void aMaskedSecretStaysMaskedAndNoPlainValueAppears() {
    List<FieldDiff> masked =
        SecretMask.mask(List.of(new FieldDiff("data.password", "hunter2-new", "hunter2-old")));
    DriftReport report =
        report(
            Mode.DETECT,
            RunResult.DRIFT_DETECTED,
            "",
            List.of(),
            List.of(
                new ObjectReport(
                    "Secret/apps/db",
                    "Secret",
                    "apps",
                    "db",
                    ChangeType.UPDATE,
                    masked,
                    "k8s/db.yaml:1",
                    null,
                    "",
                    null,
                    "")));

    String text = TextReport.render(report, true);

    assertThat(text)
        .doesNotContain("hunter2")
        .contains("- data.password: " + masked.get(0).live())
        .contains("+ data.password: " + masked.get(0).desired());
    assertThat(String.valueOf(masked.get(0).live())).matches("<secret sha256:[0-9a-f]{12}>");
  }

  @Test
  void scalarsThatYamlWouldMisreadAreQuotedAndMultiLineTextIsABlock() {
    DriftReport report =
        report(
            Mode.DETECT,
            RunResult.DRIFT_DETECTED,
            "",
            List.of(),
            List.of(
                object(
                    "ConfigMap",
                    "app",
                    ChangeType.UPDATE,
                    "cm.yaml:1",
                    new FieldDiff("data.enabled", "true", true),
                    new FieldDiff("data.port", "8080", 8080),
                    new FieldDiff("data.empty", "", List.of()),
                    new FieldDiff("data.nginx.conf", "server {\n  listen 80;\n}\n", "key: value"),
                    new FieldDiff(
                        "spec.ports", List.of(Map.of("port", 80), Map.of("port", 443)), null))));

    assertThat(TextReport.render(report, false))
        .contains(
            """
            - data.enabled: true
            + data.enabled: "true"
            - data.port: 8080
            + data.port: "8080"
            - data.empty: []
            + data.empty: ""
            - data.nginx.conf: "key: value"
            + data.nginx.conf: |
            +   server {
            +     listen 80;
            +   }
            + spec.ports:
            +   - port: 80
            +   - port: 443
            """);
  }

  @Test
  void coloursAppearOnlyWhenAsked() {
    DriftReport report =
        report(
            Mode.DETECT,
            RunResult.DRIFT_DETECTED,
            "",
            List.of(),
            List.of(
                object(
                    "Service",
                    "platform_web",
                    ChangeType.UPDATE,
                    "web.yml:3",
                    new FieldDiff("Mode.Replicated.Replicas", 1, 3))));

    assertThat(TextReport.render(report, false)).doesNotContain("\u001b[");
    assertThat(TextReport.render(report, true))
        .contains("\u001b[31m- Mode.Replicated.Replicas: 3\u001b[0m")
        .contains("\u001b[32m+ Mode.Replicated.Replicas: 1\u001b[0m")
        .contains("\u001b[33mDRIFT_DETECTED\u001b[0m");
  }
}
