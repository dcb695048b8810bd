package io.tidemark.diff;

import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies ignore rules to what a writer sends, on raw spec trees: either the live value is kept at
 * each ignored path (Swarm, which replaces a whole spec), or the path is left out (Kubernetes
 * server-side apply, where a field the request does not name stays as its owner set it). Paths in
 * the report's syntax; a step that does not resolve leaves the tree as it is. Pure.
 */
public final class IgnoredFields {

  private IgnoredFields() {}

  /**
   * Sets {@code spec} at each path to {@code live}'s value there, or removes it when live has none.
   */
  public static void keepLive(
      Map<String, Object> spec, Map<String, Object> live, List<String> paths) {
    for (String path : paths) {
      keepLiveAt(spec, live, FieldPaths.parse(path));
    }
  }

  /** {@link #keepLive} for one path given as its parsed steps. */
  public static void keepLiveAt(
      Map<String, Object> spec, Map<String, Object> live, List<String> steps) {
    Object liveValue = resolve(live, steps);
    Object parent = parent(spec, steps, liveValue != null);
    String last = steps.get(steps.size() - 1);
    if (parent instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) map;
      if (liveValue == null) {
        m.remove(last);
      } else {
        m.put(last, Trees.copyValue(liveValue));
      }
    } else if (parent instanceof List<?> list) {
      int index = indexOf(list, last);
      if (index >= 0 && liveValue != null) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) list;
        l.set(index, Trees.copyValue(liveValue));
      }
    }
  }

  /** Removes each path from {@code spec}. */
  public static void drop(Map<String, Object> spec, List<String> paths) {
    for (String path : paths) {
      List<String> steps = FieldPaths.parse(path);
      Object parent = parent(spec, steps, false);
      String last = steps.get(steps.size() - 1);
      if (parent instanceof Map<?, ?> map) {
        map.remove(last);
      } else if (parent instanceof List<?> list) {
        int index = indexOf(list, last);
        if (index >= 0) {
          list.remove(index);
        }
      }
    }
  }

  /** The value at a path of a tree, or null. */
  public static Object resolve(Object tree, List<String> steps) {
    Object current = tree;
    for (String step : steps) {
      current = child(current, step);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  /** The container of a path's last step; missing maps are made when {@code create}. */
  @SuppressWarnings("unchecked")
  private static Object parent(Map<String, Object> tree, List<String> steps, boolean create) {
    Object current = tree;
    for (String step : steps.subList(0, steps.size() - 1)) {
      Object next = child(current, step);
      if (next == null && create && current instanceof Map<?, ?> map && !isListStep(step)) {
        next = new LinkedHashMap<String, Object>();
        ((Map<String, Object>) map).put(step, next);
      }
      if (next == null) {
        return null;
      }
      current = next;
    }
    return current;
  }

  private static Object child(Object node, String step) {
    if (node instanceof Map<?, ?> map) {
      return isListStep(step) ? null : map.get(step);
    }
    if (node instanceof List<?> list) {
      int index = indexOf(list, step);
      return index < 0 ? null : list.get(index);
    }
    return null;
  }

  private static boolean isListStep(String step) {
    return step.startsWith("[") && step.endsWith("]");
  }

  /** The index a list step ({@code [2]}, {@code [name=web]}) names in {@code list}, or -1. */
  private static int indexOf(List<?> list, String step) {
    if (!isListStep(step)) {
      return -1;
    }
    String inner = step.substring(1, step.length() - 1);
    int eq = inner.indexOf('=');
    if (eq < 0) {
      try {
        int index = Integer.parseInt(inner);
        return index >= 0 && index < list.size() ? index : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    String field = inner.substring(0, eq);
    String value = inner.substring(eq + 1);
    List<Object> items = new ArrayList<>(list);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof Map<?, ?> item
          && item.get(field) != null
          && String.valueOf(item.get(field)).equals(value)) {
        return i;
      }
    }
    return -1;
  }
}
