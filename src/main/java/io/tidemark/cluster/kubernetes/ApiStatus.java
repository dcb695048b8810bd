package io.tidemark.cluster.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code kind: Status} error body of the Kubernetes API (404, 409, 422, ...), reduced to what
 * Tidemark decides on: the HTTP code, the machine reason, and each cause's field.
 */
public record ApiStatus(int code, String reason, String message, List<Cause> causes) {

  private static final String IMMUTABLE = "field is immutable";
  private static final int MAX_DETAIL = 200;

  public ApiStatus {
    reason = reason == null ? "" : reason;
    message = message == null ? "" : message;
    causes = List.copyOf(causes);
  }

  /** One cause of a Status: its reason, the field it names and the server's message. */
  public record Cause(String reason, String field, String message) {
    public Cause {
      reason = reason == null ? "" : reason;
      field = field == null ? "" : field;
      message = message == null ? "" : message;
    }
  }

  /** Reads a Status body as the API server returns it. */
  public static ApiStatus fromTree(Map<String, ?> body) {
    Objects.requireNonNull(body, "body");
    List<Cause> causes = new ArrayList<>();
    if (body.get("details") instanceof Map<?, ?> details
        && details.get("causes") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> cause) {
          causes.add(
              new Cause(
                  text(cause.get("reason")), text(cause.get("field")), text(cause.get("message"))));
        }
      }
    }
    int code = body.get("code") instanceof Number n ? n.intValue() : 0;
    return new ApiStatus(code, text(body.get("reason")), text(body.get("message")), causes);
  }

  /** Whether the server refused because a field cannot change (e.g. a Job's pod template). */
  public boolean immutable() {
    return code == 422
        && (message.endsWith(IMMUTABLE)
            || causes.stream().anyMatch(c -> c.message().endsWith(IMMUTABLE)));
  }

  /** Whether a non-forced apply conflicted with another field manager. */
  public boolean conflict() {
    return code == 409;
  }

  /**
   * A short report line: the reason and, per cause, its field and the end of its message. The
   * middle of an {@code Invalid value: ...} message is the server's dump of the value (Go pointers,
   * possibly secret data), so only its last part is kept.
   */
  public String summary() {
    if (causes.isEmpty()) {
      int dump = message.indexOf("Invalid value: ");
      String text =
          dump < 0 ? message : message.substring(0, dump) + detail(message.substring(dump));
      return code + " " + reason + ": " + shorten(text);
    }
    StringBuilder out = new StringBuilder().append(code).append(' ').append(reason).append(':');
    for (Cause cause : causes) {
      out.append(' ').append(cause.field().isEmpty() ? "(object)" : cause.field());
      out.append(": ").append(detail(cause.message())).append(';');
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }

  private static String detail(String causeMessage) {
    if (causeMessage.startsWith("Invalid value: ")) {
      int last = causeMessage.lastIndexOf(": ");
      return causeMessage.substring(last + 2);
    }
    return shorten(causeMessage);
  }

  private static String shorten(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
