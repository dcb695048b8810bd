package io.tidemark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.RevisionInfo;
import io.tidemark.report.NotificationChannel.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bodies of notifications: Tidemark's JSON (summary, the objects concerned with their masked
 * diffs, the text rendering) or a Slack message ({@code text} and {@code blocks}). Built from
 * reports only, whose secret values are already masked.
 */
final class NotificationPayloads {

  /** Slack refuses a section text over 3000 characters and a message over 50 blocks. */
  private static final int SLACK_TEXT_LIMIT = 2900;

  private static final int SLACK_OBJECT_BLOCKS = 40;

  private final ObjectMapper json;
  private final TextReport text = new TextReport(false);

  NotificationPayloads(ObjectMapper json) {
    this.json = json;
  }

  byte[] body(
      NotificationChannel.Format format, Event event, DriftReport report, RunResult previous)
      throws JsonProcessingException {
    Map<String, Object> body =
        format == NotificationChannel.Format.SLACK
            ? slack(event, report, previous)
            : generic(event, report, previous);
    return json.writeValueAsBytes(body);
  }

  /** The objects an event is about: the drifted ones, or those whose apply or health failed. */
  static List<ObjectReport> concerned(Event event, DriftReport report) {
    return switch (event) {
      case DRIFT -> report.drifted();
      case APPLY_FAILED ->
          report.objects().stream()
              .filter(
                  o ->
                      o.outcome() == ApplyOutcome.FAILED
                          || (o.outcome() != null
                              && o.health() != null
                              && o.health() != HealthStatus.HEALTHY))
              .toList();
      case HEALTH_DEGRADED ->
          report.objects().stream()
              .filter(o -> o.health() != null && o.health() != HealthStatus.HEALTHY)
              .toList();
      case RECOVERED, HEALTH_RECOVERED -> List.of();
    };
  }

  private Map<String, Object> generic(Event event, DriftReport report, RunResult previous) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", event.tag());
    body.put("target", report.target());
    body.put("result", report.result());
    if (previous != null) {
      body.put("previousResult", previous);
    }
    body.put("mode", report.mode());
    body.put("runId", report.id());
    body.put("startedAt", report.startedAt().toString());
    body.put("durationMillis", report.durationMillis());
    body.put("revision", revision(report.revision()));
    body.put("trigger", report.trigger());
    body.put("note", report.note());
    body.put("errors", report.errors());
    body.put("summary", report.summary());
    body.put("health", report.health());
    body.put("objects", concerned(event, report));
    body.put("text", text.render(report));
    return body;
  }

  private static Map<String, Object> revision(RevisionInfo revision) {
    if (revision == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("commit", revision.commit());
    out.put("author", revision.author());
    out.put("message", revision.message());
    out.put("time", revision.time() == null ? null : revision.time().toString());
    return out;
  }

  private Map<String, Object> slack(Event event, DriftReport report, RunResult previous) {
    String title = title(event, report, previous);
    List<Map<String, Object>> blocks = new ArrayList<>();
    blocks.add(
        Map.of("type", "header", "text", Map.of("type", "plain_text", "text", clip(title, 150))));
    StringBuilder facts = new StringBuilder();
    facts.append("*Result* ").append(report.result());
    facts.append("   *Health* ").append(escape(report.health().line()));
    facts.append("   *Mode* ").append(report.mode().name().toLowerCase(Locale.ROOT));
    if (report.revision() != null) {
      RevisionInfo revision = report.revision();
      facts.append("\n*Revision* `").append(revision.shortCommit()).append('`');
      if (!revision.author().isEmpty()) {
        facts.append(" by ").append(escape(revision.author()));
      }
      if (!revision.message().isEmpty()) {
        facts.append(": ").append(escape(revision.message().lines().findFirst().orElse("")));
      }
    }
    if (!report.note().isEmpty()) {
      facts.append("\n").append(escape(report.note()));
    }
    for (String error : report.errors()) {
      facts.append("\n• ").append(escape(error));
    }
    facts.append("\n").append(escape(text.summary(report).strip()));
    blocks.add(section(clip(facts.toString(), SLACK_TEXT_LIMIT)));
    List<ObjectReport> objects = concerned(event, report);
    for (ObjectReport object : objects.subList(0, Math.min(objects.size(), SLACK_OBJECT_BLOCKS))) {
      String diff = clip(escape(text.object(object).strip()), SLACK_TEXT_LIMIT - 8);
      blocks.add(section("```" + diff + "```"));
    }
    if (objects.size() > SLACK_OBJECT_BLOCKS) {
      blocks.add(section("… and " + (objects.size() - SLACK_OBJECT_BLOCKS) + " more objects"));
    }
    blocks.add(
        Map.of(
            "type",
            "context",
            "elements",
            List.of(
                Map.of(
                    "type", "mrkdwn", "text", "run " + report.id() + " · " + report.startedAt()))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", title);
    body.put("blocks", blocks);
    return body;
  }

  static String title(Event event, DriftReport report, RunResult previous) {
    return switch (event) {
      case DRIFT ->
          "Drift detected on "
              + report.target()
              + ": "
              + report.drifted().size()
              + " object(s) differ from Git";
      case APPLY_FAILED ->
          "Apply failed on "
              + report.target()
              + ": "
              + concerned(event, report).size()
              + " object(s) failed";
      case HEALTH_DEGRADED -> "Health " + report.target() + ": " + report.health().line();
      case HEALTH_RECOVERED -> "Healthy again: " + report.target() + ": " + report.health().line();
      case RECOVERED ->
          "Recovered: "
              + report.target()
              + " is "
              + report.result()
              + (previous == null ? "" : " again after " + previous);
    };
  }

  private static Map<String, Object> section(String mrkdwn) {
    return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", mrkdwn));
  }

  /** Slack's mrkdwn reads {@code &}, {@code <} and {@code >} as markup: escape them. */
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
