package io.tidemark.cluster.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.diff.TreeDiff;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code metadata.managedFields} of a live object (FieldsV1: {@code f:name}, {@code
 * k:{"name":"web"}}, {@code v:value}, {@code i:index}) to tell which field managers own a path.
 */
final class ManagedFields {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Map<?, ?>> entries;

  private ManagedFields(List<Map<?, ?>> entries) {
    this.entries = entries;
  }

  static ManagedFields of(Map<String, ?> liveObject) {
    List<Map<?, ?>> entries = new ArrayList<>();
    if (Trees.at(liveObject, "metadata", "managedFields") instanceof List<?> list) {
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> map) {
          entries.add(map);
        }
      }
    }
    return new ManagedFields(entries);
  }

  /** Every manager other than {@code except} whose field set covers {@code path}. */
  List<Attribution> owners(FieldPath path, String except) {
    List<Attribution> out = new ArrayList<>();
    for (Map<?, ?> entry : entries) {
      String manager = String.valueOf(entry.get("manager"));
      if (!manager.equals(except) && entry.get("fieldsV1") instanceof Map<?, ?> fields) {
        if (covers(fields, path)) {
          out.add(
              new Attribution(
                  path.toString(),
                  manager,
                  text(entry.get("operation")),
                  text(entry.get("subresource")),
                  text(entry.get("time"))));
        }
      }
    }
    return out;
  }

  /** The raw entries, in the server's order. */
  List<Map<?, ?>> entries() {
    return entries;
  }

  /**
   * The FieldsV1 set of {@code manager}'s Apply entry on the main resource, empty when it has none.
   */
  Map<?, ?> appliedBy(String manager) {
    for (Map<?, ?> entry : entries) {
      if (manager.equals(entry.get("manager"))
          && "Apply".equals(entry.get("operation"))
          && text(entry.get("subresource")).isEmpty()
          && entry.get("fieldsV1") instanceof Map<?, ?> fields) {
        return fields;
      }
    }
    return Map.of();
  }

  /**
   * Whether an entry's fields are someone's configuration that may count as drift: not {@code
   * self}'s, not a controller's, not a status write.
   */
  static boolean foreign(Map<?, ?> entry, String self, ControllerManagers controllers) {
    String manager = text(entry.get("manager"));
    return !manager.equals(self)
        && !controllers.matches(manager)
        && !"status".equals(text(entry.get("subresource")));
  }

  /**
   * Whether a FieldsV1 set owns the value at {@code path}: it lists the path itself, or an ancestor
   * of it as a leaf (an atomic value owned whole, like {@code f:selector: {}}).
   */
  static boolean covers(Map<?, ?> fields, FieldPath path) {
    Object node = fields;
    for (FieldPath.Step step : path.steps()) {
      if (!(node instanceof Map<?, ?> set)) {
        return false;
      }
      if (set.isEmpty() && node != fields) {
        return true;
      }
      Optional<Object> child = child(set, step);
      if (child.isEmpty()) {
        return false;
      }
      node = child.get();
    }
    return true;
  }

  private static Optional<Object> child(Map<?, ?> set, FieldPath.Step step) {
    if (step instanceof FieldPath.Field f) {
      return Optional.ofNullable(set.get("f:" + f.name()));
    }
    if (step instanceof FieldPath.Index i && set.get("i:" + i.index()) != null) {
      return Optional.of(set.get("i:" + i.index()));
    }
    for (Map.Entry<?, ?> entry : set.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (key.startsWith("k:") && step instanceof FieldPath.Item item) {
        if (keyMatches(parse(key.substring(2)), item.element())) {
          return Optional.of(entry.getValue());
        }
      } else if (key.startsWith("v:") && step instanceof FieldPath.Index index) {
        if (TreeDiff.same(parse(key.substring(2)), index.value())) {
          return Optional.of(entry.getValue());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean keyMatches(Object key, Map<?, ?> element) {
    if (!(key instanceof Map<?, ?> fields) || element == null) {
      return false;
    }
    return fields.entrySet().stream()
        .allMatch(e -> TreeDiff.same(e.getValue(), element.get(e.getKey())));
  }

  private static Object parse(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      // A key we cannot read names no field we could match: treat it as not ours to attribute.
      return null;
    }
  }

  static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
