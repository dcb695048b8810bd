package io.tidemark.cluster.kubernetes;

import io.tidemark.cluster.Target;
import io.tidemark.cluster.TargetException;
import io.tidemark.cluster.kubernetes.helm.Capabilities;
import io.tidemark.cluster.kubernetes.helm.ChartSource;
import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.diff.Differ;
import io.tidemark.diff.Pair;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * A Kubernetes cluster as a Tidemark target: manifests from Git, live objects listed once per kind
 * by the ownership label, drift by server-side dry-run apply, forced server-side apply in kind
 * order, prune through the inventory ConfigMap, health from object status.
 */
public final class KubernetesTarget implements Target {

  private static final Logger LOG = Logger.getLogger(KubernetesTarget.class);

  /** How long an apply waits for a CRD it wrote to be Established, unless configured. */
  public static final Duration DEFAULT_CRD_TIMEOUT = Duration.ofSeconds(60);

  /** How long a drift verdict is reused at most while nothing seems to change. */
  static final Duration VERDICT_MAX_AGE = Duration.ofMinutes(10);

  private final String name;
  private final String namespace;
  private final CountingKubeApi api;
  private final KubernetesManifestLoader loader;
  private final KubernetesDiffer differ;
  private final InventoryStore inventory;
  private final KubernetesApplier applier;
  private final HealthWaiter health;
  private final ComparisonCache verdicts;
  private volatile Capabilities lastCapabilities = Capabilities.helmDefaults();
  private final BoundedCalls calls;

  /** A target that waits {@link #DEFAULT_CRD_TIMEOUT} for the CRDs it writes. */
  public KubernetesTarget(
      String name, String namespace, KubeApi api, Kustomize kustomize, Duration pollInterval) {
    this(name, namespace, api, kustomize, pollInterval, DEFAULT_CRD_TIMEOUT);
  }

  /**
   * @param namespace the default namespace of namespaced objects, and the inventory's namespace
   * @param pollInterval how often {@link #awaitHealthy} and the CRD wait read what they wait for
   * @param crdTimeout how long an apply waits for a CRD it wrote to be Established before it fails
   *     the custom resources of that CRD
   */
  public KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout) {
    this(
        name,
        namespace,
        api,
        kustomize,
        pollInterval,
        crdTimeout,
        ControllerManagers.defaults(),
        SopsDecryptor.withoutKeys());
  }

  /**
   * @param controllers the field managers whose writes to an owned object are not drift; fields any
   *     other manager added are drift, and an apply takes them over and removes them
   * @param sops decrypts SOPS manifests in memory
   */
  public KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout,
      ControllerManagers controllers,
      SopsDecryptor sops) {
    this(
        name,
        namespace,
        api,
        kustomize,
        pollInterval,
        crdTimeout,
        controllers,
        sops,
        BoundedCalls.DEFAULT_LIMIT);
  }

  /**
   * @param concurrency how many dry-runs, or writes of one kind rank, are in flight at once
   */
  public KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout,
      ControllerManagers controllers,
      SopsDecryptor sops,
      int concurrency) {
    this(
        name,
        namespace,
        api,
        kustomize,
        pollInterval,
        crdTimeout,
        controllers,
        new ComparisonCache(VERDICT_MAX_AGE, System::nanoTime),
        sops,
        ChartSource.none(),
        concurrency);
  }

  KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout,
      ControllerManagers controllers,
      ComparisonCache verdicts) {
    this(
        name,
        namespace,
        api,
        kustomize,
        pollInterval,
        crdTimeout,
        controllers,
        verdicts,
        SopsDecryptor.withoutKeys(),
        ChartSource.none(),
        BoundedCalls.DEFAULT_LIMIT);
  }

  KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout,
      ControllerManagers controllers,
      ComparisonCache verdicts,
      SopsDecryptor sops) {
    this(
        name,
        namespace,
        api,
        kustomize,
        pollInterval,
        crdTimeout,
        controllers,
        verdicts,
        sops,
        ChartSource.none(),
        BoundedCalls.DEFAULT_LIMIT);
  }

  /**
   * @param charts fetches and caches the charts HelmReleases take from HTTP repositories and OCI
   *     registries
   */
  public KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout,
      ControllerManagers controllers,
      SopsDecryptor sops,
      ChartSource charts) {
    this(
        name,
        namespace,
        api,
        kustomize,
        pollInterval,
        crdTimeout,
        controllers,
        sops,
        charts,
        BoundedCalls.DEFAULT_LIMIT);
  }

  /**
   * @param charts fetches and caches the charts HelmReleases take from HTTP repositories and OCI
   *     registries
   * @param concurrency how many dry-runs, or writes of one kind rank, are in flight at once
   */
  public KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout,
      ControllerManagers controllers,
      SopsDecryptor sops,
      ChartSource charts,
      int concurrency) {
    this(
        name,
        namespace,
        api,
        kustomize,
        pollInterval,
        crdTimeout,
        controllers,
        new ComparisonCache(VERDICT_MAX_AGE, System::nanoTime),
        sops,
        charts,
        concurrency);
  }

  KubernetesTarget(
      String name,
      String namespace,
      KubeApi api,
      Kustomize kustomize,
      Duration pollInterval,
      Duration crdTimeout,
      ControllerManagers controllers,
      ComparisonCache verdicts,
      SopsDecryptor sops,
      ChartSource charts,
      int concurrency) {
    this.calls = new BoundedCalls(name, concurrency);
    this.differ = new KubernetesDiffer(KubeApi.FIELD_MANAGER, controllers);
    this.name = Objects.requireNonNull(name, "name");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.api = new CountingKubeApi(Objects.requireNonNull(api, "api"));
    this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
    this.loader =
        new KubernetesManifestLoader(
            name, namespace, kustomize, sops, new HelmRenderer(), charts, this::capabilities);
    this.inventory = new InventoryStore(this.api, name, namespace);
    this.applier =
        new KubernetesApplier(
            this.api,
            name,
            inventory,
            verdicts,
            () -> new CrdGate(this.api, crdTimeout, pollInterval),
            new Takeover(this.api, KubeApi.FIELD_MANAGER, controllers),
            calls);
    this.health = new HealthWaiter(this.api, pollInterval);
  }

  /**
   * The cluster's capabilities for the charts of one load (asked once per run that renders a
   * release); when the server cannot be asked, the last known ones, else Helm's defaults (the
   * snapshot that follows fails the run anyway).
   */
  private Capabilities capabilities() {
    try {
      String version = api.serverVersion();
      if (!version.isEmpty()) {
        lastCapabilities = new Capabilities(version);
      }
    } catch (KubeApiException e) {
      LOG.debugf("target %s: server version not read: %s", name, e.getMessage());
    }
    return lastCapabilities;
  }

  /**
   * The API requests this target sent since its newest {@link #snapshot} began, that is during the
   * current or newest reconcile (snapshot, compare, apply, health).
   */
  public ApiRequests requests() {
    return api.requests();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DesiredStateLoader loader() {
    return loader;
  }

  /**
   * Lists each kind once by the ownership label (the kinds of {@code desired} and of the inventory,
   * so kinds that left Git are seen); GETs only desired objects not among the owned ones, to tell a
   * create from a conflict with an unowned object, as many at once as dry-runs.
   */
  @Override
  public LiveState snapshot(Set<ObjectKey> desired) throws TargetException {
    api.reset();
    verdicts.retain(desired);
    try {
      Set<String> kinds = new TreeSet<>(inventory.read().kinds());
      desired.forEach(k -> kinds.add(k.kind()));
      List<LiveObject> objects = new ArrayList<>();
      List<ObjectHealth> health = new ArrayList<>();
      Set<ObjectKey> seen = new HashSet<>();
      for (String kind : kinds) {
        Optional<String> version = api.preferredVersion(Kinds.groupOf(kind));
        if (version.isEmpty()) {
          continue; // the server does not serve it (yet): nothing of it is live
        }
        for (Map<String, Object> tree : listServed(version.get(), Kinds.kind(kind))) {
          LiveObject object = LiveObjects.of(tree, name);
          if (object.owned() && seen.add(object.key())) {
            objects.add(object);
            // Health from the status in the same list: no request per object.
            health.add(KubernetesHealth.evaluate(object.key(), object.spec()));
          }
        }
      }
      // One GET per desired object not among the owned ones, `calls` at a time: on a first apply
      // that is every object, and one after the other they were most of its time.
      List<ObjectKey> missing = desired.stream().filter(key -> !seen.contains(key)).toList();
      for (Lookup lookup : calls.map(missing, this::lookUp)) {
        if (lookup.failure() != null) {
          throw lookup.failure();
        }
        lookup.found().ifPresent(objects::add);
      }
      return new LiveState(objects, health);
    } catch (KubeApiException e) {
      throw new TargetException("snapshot of " + name + ": " + e.getMessage(), e);
    }
  }

  private List<Map<String, Object>> listServed(String apiVersion, String kind)
      throws KubeApiException {
    try {
      return api.list(apiVersion, kind, Labels.TARGET + "=" + name);
    } catch (KubeApiException e) {
      if (e.status().map(s -> s.code() == 404).orElse(false)) {
        return List.of();
      }
      throw e;
    }
  }

  /** An unowned object found by its key, or the failure that stops the snapshot. */
  private record Lookup(Optional<LiveObject> found, KubeApiException failure) {}

  private Lookup lookUp(ObjectKey key) {
    try {
      return new Lookup(unowned(key), null);
    } catch (KubeApiException e) {
      return new Lookup(Optional.empty(), e);
    }
  }

  private Optional<LiveObject> unowned(ObjectKey key) throws KubeApiException {
    Optional<String> version = api.preferredVersion(Kinds.groupOf(key.kind()));
    if (version.isEmpty()) {
      return Optional.empty();
    }
    try {
      return api.get(version.get(), Kinds.kind(key.kind()), key.namespace(), key.name())
          .map(tree -> LiveObjects.of(tree, name));
    } catch (KubeApiException e) {
      if (e.status().map(s -> s.code() == 404).orElse(false)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Comparator<ObjectKey> applyOrder() {
    return new ApplyOrder(loader.hookPhases());
  }

  /**
   * The field diffs of one object (Secret values masked), for the planner. A server that refuses
   * the dry-run shows as one diff at the refused field, so that the object is not reported in sync.
   */
  @Override
  public List<FieldDiff> compare(DesiredObject desired, LiveObject live) {
    Comparison comparison = compareInDetail(desired, live);
    return switch (comparison.verdict()) {
      case IN_SYNC -> List.of();
      case DRIFTED -> comparison.diffs();
      case MISSING -> List.of(new FieldDiff(".", "(present)", null));
      case REFUSED -> List.of(new FieldDiff(".", "(refused by the server)", comparison.reason()));
    };
  }

  /**
   * Compares every pair that has both sides, up to the configured number of dry-runs at once, and
   * answers the planner from those results; a pair it did not see is compared when asked.
   */
  @Override
  public Differ comparing(List<Pair> pairs) {
    List<Pair> both = pairs.stream().filter(p -> p.desired() != null && p.live() != null).toList();
    List<List<FieldDiff>> diffs = calls.map(both, p -> compare(p.desired(), p.live()));
    Map<ObjectKey, List<FieldDiff>> known = new HashMap<>();
    for (int i = 0; i < both.size(); i++) {
      known.put(both.get(i).key(), diffs.get(i));
    }
    return (desired, live) -> {
      List<FieldDiff> answer = known.get(desired.key());
      return answer != null ? answer : compare(desired, live);
    };
  }

  /**
   * The whole verdict for one object: diffs, the managers that changed them, refusals. Dry-runs
   * only when the desired content or the live resourceVersion changed since the last verdict.
   */
  public Comparison compareInDetail(DesiredObject desired, LiveObject live) {
    if (live != null) {
      Optional<Comparison> known = verdicts.lookup(desired, live);
      if (known.isPresent()) {
        return known.get();
      }
    }
    LiveObject base = live;
    DryRunResult dryRun;
    try {
      dryRun = api.dryRunApply(desired.spec());
      // A controller may have written the object between the list and the dry-run: the answer is
      // then based on a newer object than the listed one, and comparing the two would report that
      // controller's write as drift. Compare with the object the dry-run read, never a mix.
      for (int attempt = 1; stale(dryRun, base) && attempt <= STALE_RETRIES; attempt++) {
        Optional<LiveObject> fresh = reread(desired.key(), dryRun);
        if (fresh.isPresent() && fresh.get().version().equals(dryRun.baseVersion())) {
          base = fresh.get();
          break;
        }
        base = fresh.orElse(null);
        dryRun = api.dryRunApply(desired.spec());
      }
    } catch (KubeApiException e) {
      return Comparison.refused("dry-run failed: " + e.getMessage());
    }
    if (stale(dryRun, base)) {
      return Comparison.refused(
          "the object kept changing while it was compared; asked again next run");
    }
    Comparison verdict = differ.compare(dryRun, base == null ? null : base.spec());
    if (base != null) {
      verdicts.remember(desired, base, verdict);
    }
    return verdict;
  }

  /** How many times a comparison reads an object again that changed under its dry-run. */
  static final int STALE_RETRIES = 3;

  private static boolean stale(DryRunResult dryRun, LiveObject live) {
    return live != null
        && dryRun.accepted()
        && !dryRun.wouldCreate()
        && !dryRun.baseVersion().equals(live.version());
  }

  private Optional<LiveObject> reread(ObjectKey key, DryRunResult dryRun) throws KubeApiException {
    String apiVersion = LiveObjects.apiVersion(dryRun.object());
    try {
      return api.get(apiVersion, Kinds.kind(key.kind()), key.namespace(), key.name())
          .map(tree -> LiveObjects.of(tree, name));
    } catch (KubeApiException e) {
      if (e.status().map(s -> s.code() == 404).orElse(false)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public ApplyResult apply(Plan plan, RevisionInfo revision, boolean prune) {
    return applier.apply(plan, revision, prune);
  }

  @Override
  public List<ObjectHealth> awaitHealthy(Plan plan, ApplyResult applied, Duration timeout) {
    return health.await(plan, applied, timeout);
  }

  @Override
  public void ping() throws TargetException {
    try {
      api.get("v1", "Namespace", "", namespace);
    } catch (KubeApiException e) {
      throw new TargetException(
          "Kubernetes API of " + name + " does not answer: " + e.getMessage(), e);
    }
  }
}
