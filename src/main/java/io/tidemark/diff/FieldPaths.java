package io.tidemark.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads field paths in the report's own syntax: map keys joined by dots ({@code
 * Mode.Replicated.Replicas}), keys with other characters quoted in brackets ({@code
 * metadata.annotations["example.com/x"]}), list items by merge key ({@code [name=web]}) or index
 * ({@code [0]}). Pure.
 */
public final class FieldPaths {

  private FieldPaths() {}

  /**
   * The steps of a path: map keys as they are, list steps with their brackets ({@code [0]}, {@code
   * [name=web]}).
   *
   * @throws IllegalArgumentException for an unbalanced bracket or quote, or an empty step
   */
  public static List<String> parse(String path) {
    String text = path.strip();
    List<String> steps = new ArrayList<>();
    int i = 0;
    StringBuilder key = new StringBuilder();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        flush(path, key, steps, i > 0 && text.charAt(i - 1) == ']');
        i++;
      } else if (c == '[') {
        flush(path, key, steps, true);
        int end = text.indexOf(']', i);
        if (text.startsWith("[\"", i)) {
          end = text.indexOf("\"]", i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("unclosed [\" in path " + path);
          }
          steps.add(text.substring(i + 2, end));
          i = end + 2;
          continue;
        }
        if (end < 0) {
          throw new IllegalArgumentException("unclosed [ in path " + path);
        }
        steps.add(text.substring(i, end + 1));
        i = end + 1;
      } else {
        key.append(c);
        i++;
      }
    }
    flush(path, key, steps, true);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("empty path");
    }
    return steps;
  }

  private static void flush(
      String path, StringBuilder key, List<String> steps, boolean mayBeEmpty) {
    if (key.isEmpty()) {
      if (!mayBeEmpty) {
        throw new IllegalArgumentException("empty step in path " + path);
      }
      return;
    }
    steps.add(key.toString());
    key.setLength(0);
  }

  /** Whether {@code path} is {@code rule} or lies below it; a path that does not parse is not. */
  public static boolean covers(List<String> rule, String path) {
    List<String> steps;
    try {
      steps = parse(path);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (steps.size() < rule.size()) {
      return false;
    }
    for (int i = 0; i < rule.size(); i++) {
      if (!sameStep(rule.get(i), steps.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether two steps name the same field or entry. An entry of a keyed list may be named by its
   * key alone ({@code Env.DEBUG}, {@code Mounts["/data"]}), in brackets ({@code [DEBUG]}) or with
   * its key field ({@code [name=DEBUG]}): Swarm's report keys such lists, Kubernetes' names the
   * merge key, and a rule may use either form.
   */
  public static boolean sameStep(String a, String b) {
    return a.equals(b) || entryKey(a).equals(entryKey(b));
  }

  /** The key an entry step names: {@code v} for {@code [k=v]}, {@code [v]} and {@code v}. */
  public static String entryKey(String step) {
    if (step.length() < 2 || !step.startsWith("[") || !step.endsWith("]")) {
      return step;
    }
    String inner = step.substring(1, step.length() - 1);
    int eq = inner.indexOf('=');
    return eq < 0 ? inner : inner.substring(eq + 1);
  }
}
