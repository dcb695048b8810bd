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

  private static final List<String> IMMUTABLE =
      List.of("field is immutable", "may not change once set");

  /**
   * How kube-apiserver (v1.32) begins the message of a 500 it answers to an apply whose object does
   * not fit the kind's schema (a string where an int is required, a field the kind has not, data
   * that is not base64): a verdict on the object, not a server failure, so never worth a retry.
   */
  private static final List<String> UNREADABLE_OBJECT =
      List.of("failed to create typed patch object", "failed to convert new object");

  /**
   * Where a schema error starts quoting the value it could not read, Go-formatted ({@code got
   * &value.valueUnstructured{Value:...}}, {@code got &{...}}): possibly a Secret's data.
   */
  private static final String VALUE_DUMP = "got &";

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

  /**
   * Whether the server refused because a field cannot change (a Job's pod template, a Deployment's
   * selector, a Service's clusterIP).
   */
  public boolean immutable() {
    return code == 422
        && (immutable(message) || causes.stream().anyMatch(c -> immutable(c.message())));
  }

  private static boolean immutable(String text) {
    return IMMUTABLE.stream().anyMatch(text::endsWith);
  }

  /**
   * Whether the server could not read the object as its kind at all: a schema error, which
   * kube-apiserver answers to a server-side apply with a 500 rather than a 422. Final, like a 422.
   */
  public boolean unreadableObject() {
    return code == 500 && UNREADABLE_OBJECT.stream().anyMatch(message::startsWith);
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
    String head = reason.isEmpty() ? String.valueOf(code) : code + " " + reason;
    if (causes.isEmpty()) {
      int dump = message.indexOf("Invalid value: ");
      String text =
          dump < 0 ? message : message.substring(0, dump) + detail(message.substring(dump));
      return head + ": " + shorten(withoutValues(withoutObjectName(text)));
    }
    StringBuilder out = new StringBuilder(head).append(':');
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
    return shorten(withoutValues(causeMessage));
  }

  /**
   * A schema error without the value it quotes: from {@code got &...} on, the rest is the server's
   * dump of what it could not read, and the rest of the message is cut with it (the dump has no
   * reliable end, and may hold a Secret's data).
   */
  static String withoutValues(String text) {
    int dump = text.indexOf(VALUE_DUMP);
    return dump < 0 ? text : text.substring(0, dump) + "got a value of another type (not shown)";
  }

  /** {@code failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): ...}. */
  private static String withoutObjectName(String text) {
    for (String start : UNREADABLE_OBJECT) {
      int close = text.indexOf("): ");
      if (text.startsWith(start + " (") && close > 0) {
        return start + text.substring(close + 1);
      }
    }
    return text;
  }

  private static String shorten(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
