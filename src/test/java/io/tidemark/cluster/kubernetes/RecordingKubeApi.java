package io.tidemark.cluster.kubernetes;

import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test double of our own {@link KubeApi} port that replays answers recorded from a real
 * kube-apiserver and records every call. It does not implement server-side apply: an apply only
 * stores the object as sent (last write wins, no merge, no defaults) with a new resourceVersion, as
 * every write on a server moves it, and a dry run answers what the test put in {@link #dryRuns}. A
 * GET answers what the test queued in {@link #afterApply} once the object was applied, standing in
 * for what a controller writes later (a CRD's Established condition).
 */
public final class RecordingKubeApi implements KubeApi {

  final Map<ObjectKey, Map<String, Object>> live = new LinkedHashMap<>();
  final Map<ObjectKey, DryRunResult> dryRuns = new HashMap<>();
  final Map<ObjectKey, Deque<ApiStatus>> applyRefusals = new HashMap<>();
  final Map<ObjectKey, Deque<Map<String, Object>>> afterApply = new HashMap<>();
  // Written by a target's concurrent calls (dry-runs, GETs, applies of one kind at once).
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private long resourceVersion = 100_000;
  private final Map<String, String> versions =
      Map.of(
          "",
          "v1",
          "apps",
          "apps/v1",
          "batch",
          "batch/v1",
          "apiextensions.k8s.io",
          "apiextensions.k8s.io/v1",
          "ops.example.com",
          "ops.example.com/v1");

  /** Forgets the calls recorded so far (a long benchmark would keep them all). */
  public void clearCalls() {
    calls.clear();
  }

  void put(Map<String, Object> tree) {
    live.put(LiveObjects.key(tree), Trees.mutableCopy(tree));
  }

  /**
   * An out-of-band edit, as {@code kubectl edit} makes it: the stored object changed and, as on
   * every write, its resourceVersion moved.
   */
  void edit(ObjectKey key, java.util.function.Consumer<Map<String, Object>> change) {
    Map<String, Object> tree = live.get(key);
    change.accept(tree);
    stamp(tree);
  }

  /** Gives a stored object a new resourceVersion, as the server does on every write. */
  @SuppressWarnings("unchecked")
  private void stamp(Map<String, Object> tree) {
    ((Map<String, Object>) tree.get("metadata"))
        .put("resourceVersion", String.valueOf(++resourceVersion));
  }

  void refuseApply(ObjectKey key, ApiStatus status) {
    applyRefusals.computeIfAbsent(key, k -> new ArrayDeque<>()).add(status);
  }

  List<String> calls(String verb) {
    return calls.stream().filter(c -> c.startsWith(verb + " ")).toList();
  }

  @Override
  public Map<String, Object> apply(Map<String, ?> object, boolean force) throws KubeApiException {
    ObjectKey key = LiveObjects.key(object);
    calls.add("apply " + key + (force ? " force" : ""));
    Deque<ApiStatus> refusals = applyRefusals.get(key);
    if (refusals != null && !refusals.isEmpty()) {
      ApiStatus status = refusals.poll();
      throw new KubeApiException("apply " + key + ": " + status.summary(), status, null);
    }
    Map<String, Object> stored = Trees.mutableCopy(object);
    stamp(stored);
    live.put(key, stored);
    return Trees.mutableCopy(stored);
  }

  @Override
  @SuppressWarnings("unchecked")
  public DryRunResult dryRunApply(Map<String, ?> object) {
    ObjectKey key = LiveObjects.key(object);
    calls.add("dry-run " + key);
    DryRunResult answer = dryRuns.get(key);
    if (answer == null) {
      throw new AssertionError("no recorded dry-run answer for " + key);
    }
    Map<String, Object> stored = live.get(key);
    if (answer.accepted() && !answer.wouldCreate() && stored != null) {
      // A server computes a dry-run on the object it stores now: its answer has that version.
      Map<String, Object> now = Trees.mutableCopy(answer.object());
      ((Map<String, Object>) now.get("metadata"))
          .put("resourceVersion", Trees.at(stored, "metadata", "resourceVersion"));
      return DryRunResult.accepted(now);
    }
    return answer;
  }

  @Override
  public Optional<String> preferredVersion(String group) {
    return Optional.ofNullable(versions.get(group));
  }

  @Override
  public List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector) {
    calls.add("list " + apiVersion + " " + kind + " " + labelSelector);
    String[] selector = labelSelector.split("=", 2);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> tree : live.values()) {
      if (apiVersion.equals(tree.get("apiVersion"))
          && kind.equals(tree.get("kind"))
          && selector[1].equals(Trees.at(tree, "metadata", "labels", selector[0]))) {
        out.add(Trees.mutableCopy(tree));
      }
    }
    return out;
  }

  @Override
  public Optional<Map<String, Object>> get(
      String apiVersion, String kind, String namespace, String name) {
    ObjectKey key = new ObjectKey(Kinds.qualified(apiVersion, kind), namespace, name);
    calls.add("get " + key);
    Deque<Map<String, Object>> later = afterApply.get(key);
    if (later != null && !later.isEmpty() && live.containsKey(key)) {
      // The next state a controller would have written; the last one stays.
      live.put(key, Trees.mutableCopy(later.size() > 1 ? later.poll() : later.peek()));
    }
    return Optional.ofNullable(live.get(key)).map(Trees::mutableCopy);
  }

  @Override
  public boolean delete(String apiVersion, String kind, String namespace, String name) {
    ObjectKey key = new ObjectKey(Kinds.qualified(apiVersion, kind), namespace, name);
    calls.add("delete " + key);
    return live.remove(key) != null;
  }

  /**
   * Applies the operations Tidemark sends: a {@code test} of the resourceVersion, a {@code replace}
   * of the managedFields and a {@code remove} of an annotation; a failed test answers 422.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> jsonPatch(
      String apiVersion, String kind, String namespace, String name, List<Map<String, ?>> ops)
      throws KubeApiException {
    ObjectKey key = new ObjectKey(Kinds.qualified(apiVersion, kind), namespace, name);
    calls.add("patch " + key);
    Map<String, Object> tree = live.get(key);
    if (tree == null) {
      ApiStatus status = new ApiStatus(404, "NotFound", key + " not found", List.of());
      throw new KubeApiException(status.message(), status, null);
    }
    Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
    for (Map<String, ?> op : ops) {
      String path = String.valueOf(op.get("path"));
      switch (String.valueOf(op.get("op"))) {
        case "test" -> {
          if (!String.valueOf(op.get("value")).equals(metadata.get("resourceVersion"))) {
            ApiStatus status = new ApiStatus(422, "Invalid", "test failed: " + path, List.of());
            throw new KubeApiException(status.message(), status, null);
          }
        }
        case "replace" ->
            metadata.put("managedFields", Trees.mutableCopy(Map.of("v", op.get("value"))).get("v"));
        case "remove" -> {
          String annotation = path.substring("/metadata/annotations/".length()).replace("~1", "/");
          ((Map<String, Object>) metadata.get("annotations")).remove(annotation);
        }
        default -> throw new AssertionError("unexpected patch " + op);
      }
    }
    stamp(tree);
    return Trees.mutableCopy(tree);
  }
}
