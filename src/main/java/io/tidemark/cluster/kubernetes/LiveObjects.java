package io.tidemark.cluster.kubernetes;

import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.Trees;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns object trees as the API server returns them into keyed {@link LiveObject}s. */
final class LiveObjects {

  private LiveObjects() {}

  /** The key of an object tree, namespace empty for cluster-scoped objects. */
  static ObjectKey key(Map<String, ?> tree) {
    String kind = Kinds.qualified(text(tree.get("apiVersion")), text(tree.get("kind")));
    return new ObjectKey(
        kind,
        text(Trees.at(tree, "metadata", "namespace")),
        text(Trees.at(tree, "metadata", "name")));
  }

  /**
   * A live object, owned when it carries {@code target} in its ownership label.
   *
   * @param tree an object as {@link KubeApi} returns it, nobody else's: it is frozen in place, not
   *     copied (a snapshot of thousands of objects makes no copy of them)
   */
  static LiveObject of(Map<String, Object> tree, String target) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (Trees.at(tree, "metadata", "labels") instanceof Map<?, ?> map) {
      map.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
    }
    Ownership ownership =
        target.equals(labels.get(Labels.TARGET)) ? Ownership.OWNED : Ownership.UNOWNED;
    return new LiveObject(
        key(tree),
        Trees.freezeFresh(tree),
        labels,
        text(Trees.at(tree, "metadata", "resourceVersion")),
        ownership);
  }

  static String apiVersion(Map<String, ?> tree) {
    return text(tree.get("apiVersion"));
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
