package io.tidemark.diff;

import io.tidemark.model.FieldDiff;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Field-level difference of two JSON-like trees that a target has already made canonical. Maps are
 * compared key by key, lists element by element when their lengths match and whole otherwise, and
 * numbers by value (so {@code 1}, {@code 1L} and {@code 1.0} are equal).
 */
public final class TreeDiff {

  private TreeDiff() {}

  /** Every field that differs, in the order of the desired tree and then the live-only fields. */
  public static List<FieldDiff> diff(Object desired, Object live) {
    List<FieldDiff> out = new ArrayList<>();
    walk("", desired, live, out);
    return out;
  }

  /** Whether two tree values are equal by the rules of this class. */
  public static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      return x.entrySet().stream().allMatch(e -> same(e.getValue(), y.get(e.getKey())));
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static void walk(String path, Object desired, Object live, List<FieldDiff> out) {
    if (same(desired, live)) {
      return;
    }
    if (desired instanceof Map<?, ?> d && live instanceof Map<?, ?> l) {
      Set<Object> keys = new LinkedHashSet<>(d.keySet());
      keys.addAll(l.keySet());
      for (Object key : keys) {
        walk(child(path, String.valueOf(key)), d.get(key), l.get(key), out);
      }
      return;
    }
    if (desired instanceof List<?> d && live instanceof List<?> l && d.size() == l.size()) {
      for (int i = 0; i < d.size(); i++) {
        walk(path + "[" + i + "]", d.get(i), l.get(i), out);
      }
      return;
    }
    out.add(new FieldDiff(path.isEmpty() ? "." : path, desired, live));
  }

  private static String child(String path, String key) {
    String segment = key.contains(".") ? "[\"" + key + "\"]" : key;
    if (path.isEmpty()) {
      return segment;
    }
    return segment.startsWith("[") ? path + segment : path + "." + segment;
  }
}
