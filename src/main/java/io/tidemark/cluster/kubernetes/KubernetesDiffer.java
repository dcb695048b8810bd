package io.tidemark.cluster.kubernetes;

import io.tidemark.diff.SecretMask;
import io.tidemark.diff.TreeDiff;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Labels;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Flux-style drift of one Kubernetes object: the server-side dry-run apply of the desired object
 * compared with the live object, so that server defaults, allocated IPs and normalized quantities
 * are never drift. Fields a dry-run always moves (managedFields, resourceVersion, generation, uid,
 * creationTimestamp, status, the commit annotation) are ignored; Secret values are masked. Pure.
 */
public final class KubernetesDiffer {

  private static final List<String> IGNORED_METADATA =
      List.of(
          "managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink");

  private final String fieldManager;
  private final ControllerManagers controllers;

  /** A differ that counts the {@link ControllerManagers#defaults()} as controllers. */
  public KubernetesDiffer(String fieldManager) {
    this(fieldManager, ControllerManagers.defaults());
  }

  /**
   * @param fieldManager Tidemark's own field manager, never named as the author of a drift
   * @param controllers the managers whose additions to an object are not drift
   */
  public KubernetesDiffer(String fieldManager, ControllerManagers controllers) {
    this.fieldManager = Objects.requireNonNull(fieldManager, "fieldManager");
    this.controllers = Objects.requireNonNull(controllers, "controllers");
  }

  /**
   * The verdict for one object.
   *
   * @param dryRun the server's answer to a forced dry-run apply of the desired object
   * @param live the live object as the server returns it, or null when it does not exist
   */
  public Comparison compare(DryRunResult dryRun, Map<String, ?> live) {
    if (!dryRun.accepted()) {
      // Fields another manager added can be why the server refuses the merge (a second Service
      // port without a name): they are the drift to show, and a takeover lets the apply succeed.
      List<FieldDiff> added = new ArrayList<>();
      List<Attribution> by = new ArrayList<>();
      if (live != null) {
        additions(live, live, added, by);
      }
      return added.isEmpty()
          ? Comparison.refused(dryRun.refusal().summary())
          : new Comparison(Comparison.Verdict.DRIFTED, added, by, dryRun.refusal().summary());
    }
    if (live == null || dryRun.wouldCreate()) {
      return Comparison.missing();
    }
    List<FieldPath> paths = new ArrayList<>();
    List<FieldDiff> diffs = walkAll(dryRun.object(), live, paths);
    ManagedFields managed = diffs.isEmpty() ? null : ManagedFields.of(live);
    List<Attribution> attributions = new ArrayList<>();
    List<FieldDiff> all = new ArrayList<>();
    for (int i = 0; i < diffs.size(); i++) {
      List<Attribution> owners = managed.owners(paths.get(i), fieldManager);
      attributions.addAll(owners);
      FieldDiff diff = diffs.get(i);
      all.add(owners.isEmpty() ? diff : diff.withChangedBy(owners.get(0).author()));
    }
    additions(dryRun.object(), live, all, attributions);
    return all.isEmpty() ? Comparison.inSync() : Comparison.drifted(all, attributions);
  }

  /**
   * Adds the fields that a manager other than Tidemark and the controllers wrote and Git does not
   * declare, judged by the managedFields of {@code object} (the dry-run answer, where Tidemark
   * holds exactly what Git declares), as diffs from an absent desired value.
   */
  private void additions(
      Map<String, ?> object, Map<String, ?> live, List<FieldDiff> out, List<Attribution> by) {
    boolean secret = isSecret(live);
    Set<String> seen = new java.util.HashSet<>();
    out.forEach(d -> seen.add(d.path()));
    for (ForeignFields.Addition addition : ForeignFields.of(object, fieldManager, controllers)) {
      String path = addition.path().toString();
      if (ignored(addition.path()) || !seen.add(path)) {
        continue;
      }
      boolean value =
          secret
              && (addition.path().startsWith("data") || addition.path().startsWith("stringData"));
      Object shown = value ? SecretMask.mask(addition.live()) : addition.live();
      out.add(new FieldDiff(path, null, shown, addition.author()));
      by.add(new Attribution(path, addition.manager(), "", "", addition.time()));
    }
  }

  /** Fields the comparison never looks at, whoever wrote them. */
  private static boolean ignored(FieldPath path) {
    List<FieldPath.Step> steps = path.steps();
    if (steps.size() >= 2
        && steps.get(0) instanceof FieldPath.Field f
        && f.name().equals("metadata")
        && steps.get(1) instanceof FieldPath.Field m) {
      if (IGNORED_METADATA.contains(m.name())) {
        return true;
      }
      return steps.size() >= 3
          && m.name().equals("annotations")
          && steps.get(2) instanceof FieldPath.Field a
          && a.name().equals(Labels.COMMIT);
    }
    return path.startsWith("status");
  }

  /**
   * The fields in which {@code live} differs from {@code dryRun}, Secret values masked; empty when
   * live is what an apply would store.
   */
  public List<FieldDiff> diff(Map<String, ?> dryRun, Map<String, ?> live) {
    return walkAll(dryRun, live, new ArrayList<>());
  }

  private static List<FieldDiff> walkAll(
      Map<String, ?> dryRun, Map<String, ?> live, List<FieldPath> paths) {
    Objects.requireNonNull(dryRun, "dryRun");
    Objects.requireNonNull(live, "live");
    boolean secret = isSecret(dryRun) || isSecret(live);
    List<FieldDiff> out = new ArrayList<>();
    walk(FieldPath.root(), normalize(dryRun), normalize(live), out, paths);
    if (!secret) {
      return out;
    }
    List<FieldDiff> masked = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      FieldDiff d = out.get(i);
      FieldPath path = paths.get(i);
      boolean value = path.startsWith("data") || path.startsWith("stringData");
      masked.add(
          value
              ? new FieldDiff(d.path(), SecretMask.mask(d.desired()), SecretMask.mask(d.live()))
              : d);
    }
    return masked;
  }

  static boolean isSecret(Map<String, ?> object) {
    return "Secret".equals(object.get("kind")) && "v1".equals(object.get("apiVersion"));
  }

  /** A copy without the fields that any write or dry-run moves by itself. */
  static Map<String, Object> normalize(Map<String, ?> object) {
    Map<String, Object> copy = Trees.mutableCopy(object);
    copy.remove("status");
    if (copy.get("metadata") instanceof Map<?, ?> raw) {
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata = (Map<String, Object>) raw;
      IGNORED_METADATA.forEach(metadata::remove);
      if (metadata.get("annotations") instanceof Map<?, ?> annotations) {
        // The commit annotation moves with every commit; content equal otherwise is no drift.
        annotations.remove(Labels.COMMIT);
        if (annotations.isEmpty()) {
          metadata.remove("annotations");
        }
      }
    }
    return copy;
  }

  private static void walk(
      FieldPath path, Object desired, Object live, List<FieldDiff> out, List<FieldPath> paths) {
    if (TreeDiff.same(desired, live)) {
      return;
    }
    if (desired instanceof Map<?, ?> d && live instanceof Map<?, ?> l) {
      // A key that is null on one side and absent on the other walks to no diff: same meaning.
      Set<Object> keys = new LinkedHashSet<>(d.keySet());
      keys.addAll(l.keySet());
      for (Object key : keys) {
        walk(path.field(String.valueOf(key)), d.get(key), l.get(key), out, paths);
      }
      return;
    }
    int before = out.size();
    if (desired instanceof List<?> d && live instanceof List<?> l) {
      walkList(path, d, l, out, paths);
    }
    if (out.size() == before) {
      // Scalars, different types, different lengths, or the same keyed items in another order.
      out.add(new FieldDiff(path.toString(), desired, live));
      paths.add(path);
    }
  }

  private static void walkList(
      FieldPath path, List<?> desired, List<?> live, List<FieldDiff> out, List<FieldPath> paths) {
    String key = MergeKeys.of(desired, live);
    if (key != null) {
      Map<Object, Map<?, ?>> d = byKey(desired, key);
      Map<Object, Map<?, ?>> l = byKey(live, key);
      Set<Object> values = new LinkedHashSet<>(d.keySet());
      values.addAll(l.keySet());
      for (Object value : values) {
        Map<?, ?> element = l.containsKey(value) ? l.get(value) : d.get(value);
        walk(path.item(key, value, element), d.get(value), l.get(value), out, paths);
      }
    } else if (desired.size() == live.size()) {
      for (int i = 0; i < desired.size(); i++) {
        walk(path.index(i, live.get(i)), desired.get(i), live.get(i), out, paths);
      }
    }
  }

  private static Map<Object, Map<?, ?>> byKey(List<?> items, String key) {
    Map<Object, Map<?, ?>> out = new LinkedHashMap<>();
    for (Object item : items) {
      Map<?, ?> map = (Map<?, ?>) item;
      out.put(map.get(key), map);
    }
    return out;
  }
}
