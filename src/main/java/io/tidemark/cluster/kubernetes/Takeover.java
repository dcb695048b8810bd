package io.tidemark.cluster.kubernetes;

import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes over, before an apply, the fields that managers other than Tidemark and the controllers own
 * on an object (a person's {@code kubectl set env}, {@code kubectl patch}, or the previous owner of
 * an adopted object: {@code kubectl-client-side-apply}, {@code kubectl-create}, {@code helm}): one
 * JSON patch of {@code metadata.managedFields} moves their field sets into Tidemark's Apply entry,
 * so that the apply that follows removes every field Git does not declare, as Flux's ssa package
 * does for {@code kubectl-client-side-apply}. The previous owner's {@code
 * last-applied-configuration} annotation is removed in the same patch.
 */
final class Takeover {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final KubeApi api;
  private final String self;
  private final ControllerManagers controllers;

  Takeover(KubeApi api, String self, ControllerManagers controllers) {
    this.api = Objects.requireNonNull(api, "api");
    this.self = Objects.requireNonNull(self, "self");
    this.controllers = Objects.requireNonNull(controllers, "controllers");
  }

  /**
   * Takes over the foreign fields of {@code live}, if it has any; reads the object again once when
   * it changed since it was listed.
   *
   * @return the managers whose fields were taken over, empty when nothing was to take
   */
  List<String> before(LiveObject live) throws KubeApiException {
    if (live == null) {
      return List.of();
    }
    Map<String, ?> tree = live.spec();
    Optional<List<Map<String, ?>>> ops = patch(tree, self, controllers);
    if (ops.isEmpty()) {
      return List.of();
    }
    ObjectKey key = live.key();
    String apiVersion = LiveObjects.apiVersion(tree);
    String kind = Kinds.kind(key.kind());
    try {
      api.jsonPatch(apiVersion, kind, key.namespace(), key.name(), ops.get());
      return managers(tree);
    } catch (KubeApiException e) {
      if (e.status().map(s -> s.code() != 422 && s.code() != 409).orElse(true)) {
        throw e;
      }
      // Its resourceVersion moved since the list (a controller wrote): once more on the fresh one.
      Optional<Map<String, Object>> fresh = api.get(apiVersion, kind, key.namespace(), key.name());
      Optional<List<Map<String, ?>>> again =
          fresh.isPresent() ? patch(fresh.get(), self, controllers) : Optional.empty();
      if (again.isPresent()) {
        try {
          api.jsonPatch(apiVersion, kind, key.namespace(), key.name(), again.get());
        } catch (KubeApiException lost) {
          throw lostTo(lost, apiVersion, kind, key);
        }
        return managers(fresh.get());
      }
      return List.of();
    }
  }

  /**
   * The failure of a takeover that lost its race twice, naming who wrote the object last: the
   * manager of the newest managedFields entry other than Tidemark's, read once more.
   */
  private KubeApiException lostTo(
      KubeApiException lost, String apiVersion, String kind, ObjectKey key) {
    if (lost.status().map(s -> s.code() != 422 && s.code() != 409).orElse(true)) {
      return lost;
    }
    String writer;
    try {
      writer =
          api.get(apiVersion, kind, key.namespace(), key.name())
              .map(this::newestWriter)
              .orElse("a delete");
    } catch (KubeApiException e) {
      writer = "unknown (" + e.getMessage() + ")";
    }
    return new KubeApiException(
        "the object kept changing under it, last written by " + writer, lost.status().get(), null);
  }

  /** {@code intruder at 2026-12-02T03:01:02Z}: the newest entry not Tidemark's own. */
  private String newestWriter(Map<String, ?> tree) {
    String newest = "";
    String author = "another manager";
    for (Map<?, ?> entry : ManagedFields.of(tree).entries()) {
      String manager = ManagedFields.text(entry.get("manager"));
      String time = ManagedFields.text(entry.get("time"));
      if (!manager.equals(self) && time.compareTo(newest) >= 0) {
        newest = time;
        author = time.isEmpty() ? manager : manager + " at " + time;
      }
    }
    return author;
  }

  private List<String> managers(Map<String, ?> tree) {
    List<String> out = new ArrayList<>();
    for (Map<?, ?> entry : ManagedFields.of(tree).entries()) {
      String manager = ManagedFields.text(entry.get("manager"));
      if (ManagedFields.foreign(entry, self, controllers) && !out.contains(manager)) {
        out.add(manager);
      }
    }
    return out;
  }

  /**
   * The JSON patch that hands the foreign managers' fields of {@code object} to {@code self}:
   * guarded by the object's resourceVersion, so it never acts on a newer object than it read. Empty
   * when no foreign manager owns a field.
   */
  static Optional<List<Map<String, ?>>> patch(
      Map<String, ?> object, String self, ControllerManagers controllers) {
    ManagedFields managed = ManagedFields.of(object);
    Map<String, Object> mine = Trees.mutableCopy(asStringMap(managed.appliedBy(self)));
    List<Map<String, Object>> kept = new ArrayList<>();
    String newest = "";
    boolean taken = false;
    int position = -1;
    for (Map<?, ?> entry : managed.entries()) {
      String manager = ManagedFields.text(entry.get("manager"));
      String time = ManagedFields.text(entry.get("time"));
      if (ManagedFields.foreign(entry, self, controllers)) {
        if (entry.get("fieldsV1") instanceof Map<?, ?> fields) {
          Map<String, Object> copy = Trees.mutableCopy(asStringMap(fields));
          copy.remove("f:status");
          union(mine, copy);
        }
        newest = time.compareTo(newest) > 0 ? time : newest;
        taken = true;
        continue;
      }
      boolean myApply =
          manager.equals(self)
              && "Apply".equals(entry.get("operation"))
              && ManagedFields.text(entry.get("subresource")).isEmpty();
      if (myApply) {
        position = kept.size();
        newest = time.compareTo(newest) > 0 ? time : newest;
      }
      kept.add(Trees.mutableCopy(asStringMap(entry)));
    }
    if (!taken) {
      return Optional.empty();
    }
    Map<String, Object> applied = new LinkedHashMap<>();
    applied.put("manager", self);
    applied.put("operation", "Apply");
    applied.put("apiVersion", LiveObjects.apiVersion(object));
    if (!newest.isEmpty()) {
      applied.put("time", newest);
    }
    applied.put("fieldsType", "FieldsV1");
    applied.put("fieldsV1", mine);
    if (position >= 0) {
      kept.set(position, applied);
    } else {
      kept.add(0, applied);
    }
    List<Map<String, ?>> ops = new ArrayList<>();
    Object version = Trees.at(object, "metadata", "resourceVersion");
    if (version != null) {
      ops.add(Map.of("op", "test", "path", "/metadata/resourceVersion", "value", version));
    }
    ops.add(Map.of("op", "replace", "path", "/metadata/managedFields", "value", kept));
    if (Trees.at(object, "metadata", "annotations", LAST_APPLIED) != null) {
      ops.add(
          Map.of(
              "op", "remove", "path", "/metadata/annotations/" + LAST_APPLIED.replace("/", "~1")));
    }
    return Optional.of(ops);
  }

  /** Adds every field of {@code more} to {@code into} (FieldsV1 sets are nested maps). */
  @SuppressWarnings("unchecked")
  static void union(Map<String, Object> into, Map<String, ?> more) {
    for (Map.Entry<String, ?> field : more.entrySet()) {
      Object existing = into.get(field.getKey());
      if (existing instanceof Map<?, ?> a && field.getValue() instanceof Map<?, ?> b) {
        union((Map<String, Object>) a, (Map<String, ?>) b);
      } else if (existing == null) {
        into.put(field.getKey(), field.getValue());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> asStringMap(Map<?, ?> map) {
    return (Map<String, ?>) map;
  }
}
