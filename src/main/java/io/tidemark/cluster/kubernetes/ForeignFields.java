package io.tidemark.cluster.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.diff.TreeDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields of an object that another manager (a person's {@code kubectl set env}, {@code
 * label}, {@code patch}, {@code edit}, or the previous owner of an adopted object) wrote and
 * Tidemark's own field set does not hold: what Git does not declare. Server-side apply keeps such
 * fields, so a dry-run never shows them; they are drift unless their manager is a controller. Pure.
 */
final class ForeignFields {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One field another manager added: where, its value, and who wrote it when. */
  record Addition(FieldPath path, Object live, String manager, String time) {

    /** As the report names the author: {@code kubectl-set at 2026-11-25T20:39:32Z}. */
    String author() {
      return time.isEmpty() ? manager : manager + " at " + time;
    }
  }

  private ForeignFields() {}

  /**
   * The additions in {@code object}, judged by its own {@code managedFields}.
   *
   * @param self Tidemark's field manager; its Apply set is what Git declares
   */
  static List<Addition> of(Map<String, ?> object, String self, ControllerManagers controllers) {
    ManagedFields managed = ManagedFields.of(object);
    Map<?, ?> mine = managed.appliedBy(self);
    List<Addition> out = new ArrayList<>();
    for (Map<?, ?> entry : managed.entries()) {
      if (ManagedFields.foreign(entry, self, controllers)
          && entry.get("fieldsV1") instanceof Map<?, ?> fields) {
        Map<?, ?> withoutStatus = new java.util.LinkedHashMap<>(fields);
        withoutStatus.remove("f:status");
        String manager = ManagedFields.text(entry.get("manager"));
        String time = ManagedFields.text(entry.get("time"));
        walk(withoutStatus, mine, object, FieldPath.root(), manager, time, out);
      }
    }
    return out;
  }

  private static void walk(
      Map<?, ?> foreign,
      Map<?, ?> mine,
      Object value,
      FieldPath path,
      String manager,
      String time,
      List<Addition> out) {
    for (Map.Entry<?, ?> field : foreign.entrySet()) {
      String key = String.valueOf(field.getKey());
      if (key.equals(".") || !(field.getValue() instanceof Map<?, ?> child)) {
        continue;
      }
      Located located = locate(key, value, path);
      if (located == null) {
        continue; // no longer in the object (or a key we cannot read): nothing to report
      }
      Map<?, ?> myChild = mine != null && mine.get(key) instanceof Map<?, ?> m ? m : null;
      boolean item = !key.startsWith("f:");
      boolean whole = child.isEmpty() || (item && child.containsKey("."));
      if (myChild == null && whole) {
        out.add(new Addition(located.path(), located.value(), manager, time));
      } else if (!child.isEmpty()) {
        walk(child, myChild, located.value(), located.path(), manager, time, out);
      }
    }
  }

  private record Located(FieldPath path, Object value) {}

  private static Located locate(String key, Object value, FieldPath path) {
    if (key.startsWith("f:")) {
      String name = key.substring(2);
      Object child = value instanceof Map<?, ?> map ? map.get(name) : null;
      return child == null ? null : new Located(path.field(name), child);
    }
    if (!(value instanceof List<?> list)) {
      return null;
    }
    if (key.startsWith("i:")) {
      int index = Integer.parseInt(key.substring(2));
      return index < list.size()
          ? new Located(path.index(index, list.get(index)), list.get(index))
          : null;
    }
    Object parsed = parse(key.substring(2));
    for (int i = 0; i < list.size(); i++) {
      Object element = list.get(i);
      if (key.startsWith("v:") && TreeDiff.same(parsed, element)) {
        return new Located(path.index(i, element), element);
      }
      if (key.startsWith("k:")
          && parsed instanceof Map<?, ?> fields
          && element instanceof Map<?, ?> map
          && fields.entrySet().stream()
              .allMatch(e -> TreeDiff.same(e.getValue(), map.get(e.getKey())))) {
        String keyField = keyField(fields);
        return new Located(path.item(keyField, fields.get(keyField), map), element);
      }
    }
    return null;
  }

  /** The field a report names a keyed item by: Kubernetes' usual merge key when it is there. */
  private static String keyField(Map<?, ?> fields) {
    for (String candidate : List.of("name", "containerPort", "port", "mountPath", "type", "key")) {
      if (fields.containsKey(candidate)) {
        return candidate;
      }
    }
    return String.valueOf(fields.keySet().iterator().next());
  }

  private static Object parse(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      return null; // a key we cannot read names no field we could report
    }
  }
}
