package io.tidemark.report;

import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trigger;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link DriftReport} as text in the style of {@code kubectl diff}: a header, a
 * unified-diff-like block per drifted object, then the counts; ANSI colours only when asked.
 */
public final class TextReport {

  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";

  private final boolean colour;

  public TextReport(boolean colour) {
    this.colour = colour;
  }

  /** The whole report, ending with a newline. */
  public static String render(DriftReport report, boolean colour) {
    return new TextReport(colour).render(report);
  }

  public String render(DriftReport report) {
    StringBuilder out = new StringBuilder();
    header(out, report);
    for (ObjectReport object : report.drifted()) {
      out.append('\n');
      object(out, object);
    }
    out.append('\n');
    summary(out, report);
    return out.toString();
  }

  private void header(StringBuilder out, DriftReport report) {
    field(out, "target", paint(BOLD, report.target()));
    field(out, "revision", revision(report.revision()));
    field(out, "trigger", trigger(report.trigger()));
    field(out, "mode", report.mode().name().toLowerCase(Locale.ROOT));
    field(out, "result", paint(resultColour(report.result()), report.result().name()));
    if (report.health().observed()) {
      field(out, "health", paint(healthColour(report.health().status()), report.health().line()));
    }
    field(out, "duration", duration(report.durationMillis()));
    if (!report.note().isEmpty()) {
      field(out, "note", report.note());
    }
    if (!report.errors().isEmpty()) {
      field(out, "errors", String.valueOf(report.errors().size()));
      for (String error : report.errors()) {
        out.append("  ").append(paint(RED, error)).append('\n');
      }
    }
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append(String.format("%-9s ", name + ":")).append(value).append('\n');
  }

  private static String revision(RevisionInfo revision) {
    if (revision == null) {
      return "-";
    }
    StringBuilder text = new StringBuilder(revision.shortCommit());
    if (!revision.author().isEmpty()) {
      text.append("  ").append(revision.author());
    }
    if (revision.time() != null) {
      text.append("  ").append(revision.time());
    }
    if (!revision.message().isEmpty()) {
      text.append("  \"").append(revision.message().lines().findFirst().orElse("")).append('"');
    }
    return text.toString();
  }

  private static String trigger(Trigger trigger) {
    StringBuilder text = new StringBuilder(trigger.source().name().toLowerCase(Locale.ROOT));
    if (!trigger.provider().isEmpty()) {
      text.append(' ').append(trigger.provider());
    }
    if (!trigger.deliveryId().isEmpty()) {
      text.append(" (delivery ").append(trigger.deliveryId()).append(')');
    }
    return text.toString();
  }

  private static String duration(long millis) {
    return millis < 1000 ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  /** The block of one object alone: its change, the two headers, its field lines and outcome. */
  public String object(ObjectReport object) {
    StringBuilder out = new StringBuilder();
    object(out, object);
    return out.toString();
  }

  private void object(StringBuilder out, ObjectReport object) {
    ChangeType change = object.change();
    String source = object.source().isEmpty() ? "" : " (" + object.source() + ")";
    out.append(paint(CYAN, change.name() + " " + object.key())).append('\n');
    String liveNote =
        switch (change) {
          case CREATE -> " (absent)";
          case CONFLICT -> " (not owned by this target: " + object.owner() + ")";
          case ADOPT -> " (to adopt from " + object.owner() + ")";
          default -> "";
        };
    String desiredNote = change == ChangeType.DELETE ? " (absent: no longer in Git)" : source;
    out.append(paint(BOLD, "--- live " + object.key() + liveNote)).append('\n');
    out.append(paint(BOLD, "+++ desired " + object.key() + desiredNote)).append('\n');
    switch (change) {
      case CREATE -> out.append(paint(GREEN, "+ (whole object)")).append('\n');
      case DELETE -> out.append(paint(RED, "- (whole object)")).append('\n');
      case CONFLICT -> {
        for (FieldDiff diff : object.diffs()) {
          fieldDiff(out, diff);
        }
        out.append(paint(YELLOW, "! an object of this name exists and is not owned by this"))
            .append(paint(YELLOW, " target: left untouched"))
            .append('\n');
        if (!object.hint().isEmpty()) {
          out.append(paint(YELLOW, "! " + object.hint())).append('\n');
        }
      }
      default -> {
        for (FieldDiff diff : object.diffs()) {
          fieldDiff(out, diff);
        }
      }
    }
    outcome(out, object);
  }

  private void fieldDiff(StringBuilder out, FieldDiff diff) {
    if (diff.live() != null) {
      for (String line : YamlLines.of(diff.path(), diff.live())) {
        out.append(paint(RED, "- " + line)).append('\n');
      }
    }
    if (diff.desired() != null) {
      for (String line : YamlLines.of(diff.path(), diff.desired())) {
        out.append(paint(GREEN, "+ " + line)).append('\n');
      }
    }
    if (diff.changedBy() != null) {
      String absent = diff.desired() == null ? " (not in Git)" : "";
      out.append(paint(YELLOW, "  ^ " + diff.path() + absent + ": changed by " + diff.changedBy()))
          .append('\n');
    }
  }

  private void outcome(StringBuilder out, ObjectReport object) {
    if (object.outcome() == null && object.health() == null) {
      return;
    }
    StringBuilder line = new StringBuilder("  =>");
    if (object.outcome() != null) {
      line.append(' ').append(object.outcome().name().toLowerCase(Locale.ROOT));
      if (object.outcome() == ApplyOutcome.FAILED && !object.source().isEmpty()) {
        // The failure line alone (grepped from CI logs) still says which manifest to fix.
        line.append(" (").append(object.source()).append(')');
      }
      if (!object.message().isEmpty()) {
        line.append(": ").append(object.message());
      }
    }
    if (object.health() != null) {
      line.append(object.outcome() != null ? ", " : " ").append("health ");
      line.append(object.health().name().toLowerCase(Locale.ROOT));
      if (!object.healthMessage().isEmpty()) {
        line.append(": ").append(object.healthMessage());
      }
    }
    boolean bad =
        object.outcome() == ApplyOutcome.FAILED
            || (object.health() != null && object.health() != HealthStatus.HEALTHY);
    out.append(bad ? paint(RED, line.toString()) : line.toString()).append('\n');
  }

  /** The closing counts: the plan's, then the apply's when one ran. */
  public String summary(DriftReport report) {
    StringBuilder out = new StringBuilder();
    summary(out, report);
    return out.toString();
  }

  private void summary(StringBuilder out, DriftReport report) {
    Map<ChangeType, Integer> counts = report.summary();
    out.append(
        String.format(
            "Plan: %d to create, %d to update, %s%d to delete, %d conflicts, %d in sync%n",
            counts.getOrDefault(ChangeType.CREATE, 0),
            counts.getOrDefault(ChangeType.UPDATE, 0),
            counts.getOrDefault(ChangeType.ADOPT, 0) == 0
                ? ""
                : counts.get(ChangeType.ADOPT) + " to adopt, ",
            counts.getOrDefault(ChangeType.DELETE, 0),
            counts.getOrDefault(ChangeType.CONFLICT, 0),
            counts.getOrDefault(ChangeType.IN_SYNC, 0)));
    for (ObjectReport object : report.objects()) {
      for (String rule : object.ignored()) {
        out.append("Ignored: ").append(object.key()).append(' ').append(rule).append('\n');
      }
    }
    Map<ApplyOutcome, Integer> outcomes = new EnumMap<>(ApplyOutcome.class);
    report.objects().stream()
        .filter(o -> o.outcome() != null)
        .forEach(o -> outcomes.merge(o.outcome(), 1, Integer::sum));
    if (!outcomes.isEmpty()) {
      StringBuilder line = new StringBuilder("Apply:");
      outcomes.forEach(
          (outcome, n) ->
              line.append(' ')
                  .append(n)
                  .append(' ')
                  .append(outcome.name().toLowerCase(Locale.ROOT))
                  .append(','));
      line.setLength(line.length() - 1);
      out.append(outcomes.containsKey(ApplyOutcome.FAILED) ? paint(RED, line.toString()) : line);
      out.append('\n');
    }
  }

  private static String resultColour(RunResult result) {
    return switch (result) {
      case IN_SYNC, APPLIED -> GREEN;
      case DRIFT_DETECTED -> YELLOW;
      default -> RED;
    };
  }

  private static String healthColour(HealthStatus status) {
    return switch (status) {
      case HEALTHY -> GREEN;
      case PROGRESSING, UNKNOWN -> YELLOW;
      case MISSING, DEGRADED -> RED;
    };
  }

  private String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
