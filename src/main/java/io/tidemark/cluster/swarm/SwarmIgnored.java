package io.tidemark.cluster.swarm;

import io.tidemark.diff.FieldPaths;
import io.tidemark.diff.IgnoredFields;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps the live value of ignored fields in a Swarm spec about to be sent: the engine replaces a
 * whole spec, so an ignored field must be sent as it is live. Paths are the report's, which keys
 * the engine's unordered lists (an environment variable by name, {@code
 * TaskTemplate.ContainerSpec.Env.NAME}, a mount by target, a port by {@code
 * published:target/proto}, a secret or config by file name); such an entry is found in the engine's
 * list by that key, and kept, added or left out as it is live. Other paths are taken as they are in
 * the spec.
 */
final class SwarmIgnored {

  /** A list of the engine's spec that the report keys, and how an entry's key is read. */
  private record KeyedList(List<String> at, Function<Object, String> key) {}

  private static final List<KeyedList> KEYED =
      List.of(
          new KeyedList(List.of("TaskTemplate", "ContainerSpec", "Env"), SwarmIgnored::envName),
          new KeyedList(List.of("TaskTemplate", "ContainerSpec", "Mounts"), field("Target")),
          new KeyedList(
              List.of("TaskTemplate", "ContainerSpec", "Secrets"),
              e -> SwarmCanonical.fileKey(Json.map(e))),
          new KeyedList(
              List.of("TaskTemplate", "ContainerSpec", "Configs"),
              e -> SwarmCanonical.fileKey(Json.map(e))),
          new KeyedList(List.of("TaskTemplate", "ContainerSpec", "Ulimits"), field("Name")),
          new KeyedList(
              List.of("EndpointSpec", "Ports"),
              e -> SwarmCanonical.portKey(Trees.mutableCopy(Json.map(e)))));

  private SwarmIgnored() {}

  static void keepLive(Map<String, Object> spec, Map<String, Object> live, List<String> paths) {
    for (String path : paths) {
      List<String> steps = FieldPaths.parse(path);
      KeyedList keyed = keyedAt(steps);
      if (keyed == null) {
        IgnoredFields.keepLiveAt(spec, live, steps);
      } else {
        keepEntry(spec, live, keyed, steps);
      }
    }
  }

  private static KeyedList keyedAt(List<String> steps) {
    for (KeyedList keyed : KEYED) {
      int n = keyed.at().size();
      if (steps.size() > n && steps.subList(0, n).equals(keyed.at())) {
        return keyed;
      }
    }
    return null;
  }

  /**
   * The entry named by the step after the list, or a field below it: a whole entry is kept as it is
   * live (replaced, added, or left out when live has none); a field below an entry is kept when Git
   * and live both have the entry.
   */
  @SuppressWarnings("unchecked")
  private static void keepEntry(
      Map<String, Object> spec, Map<String, Object> live, KeyedList keyed, List<String> steps) {
    List<String> at = keyed.at();
    String key = FieldPaths.entryKey(steps.get(at.size()));
    List<String> below = steps.subList(at.size() + 1, steps.size());
    Object liveEntry = find(IgnoredFields.resolve(live, at), keyed, key);
    if (!(IgnoredFields.resolve(spec, at.subList(0, at.size() - 1)) instanceof Map<?, ?> owner)) {
      return;
    }
    Map<String, Object> parent = (Map<String, Object>) owner;
    List<Object> entries = new ArrayList<>();
    if (parent.get(at.get(at.size() - 1)) instanceof List<?> list) {
      entries.addAll(list);
    }
    int index = indexOf(entries, keyed, key);
    if (!below.isEmpty()) {
      if (index >= 0
          && entries.get(index) instanceof Map<?, ?> entry
          && liveEntry instanceof Map<?, ?> liveMap) {
        IgnoredFields.keepLiveAt((Map<String, Object>) entry, (Map<String, Object>) liveMap, below);
      }
      return;
    }
    if (liveEntry == null) {
      if (index >= 0) {
        entries.remove(index);
      }
    } else if (index >= 0) {
      entries.set(index, Trees.copyValue(liveEntry));
    } else {
      entries.add(Trees.copyValue(liveEntry));
    }
    parent.put(at.get(at.size() - 1), entries);
  }

  private static Object find(Object list, KeyedList keyed, String key) {
    if (list instanceof List<?> entries) {
      for (Object entry : entries) {
        if (key.equals(keyed.key().apply(entry))) {
          return entry;
        }
      }
    }
    return null;
  }

  private static int indexOf(List<Object> entries, KeyedList keyed, String key) {
    for (int i = 0; i < entries.size(); i++) {
      if (key.equals(keyed.key().apply(entries.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  private static String envName(Object entry) {
    String text = String.valueOf(entry);
    int eq = text.indexOf('=');
    return eq < 0 ? text : text.substring(0, eq);
  }

  private static Function<Object, String> field(String name) {
    return e -> e instanceof Map<?, ?> m ? String.valueOf(m.get(name)) : "";
  }
}
