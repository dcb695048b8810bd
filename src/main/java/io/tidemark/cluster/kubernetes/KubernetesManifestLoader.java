package io.tidemark.cluster.kubernetes;

import io.tidemark.cluster.kubernetes.helm.ChartSource;
import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Labels;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a target's Kubernetes manifests from a revision: any kind, CRDs and custom resources
 * included, keyed as {@code Kind.group/namespace/name} (see {@link Kinds}). Namespaced objects that
 * name no namespace get the target's; every object gets Tidemark's ownership label and commit
 * annotation. {@code tidemark.io/v1 HelmRelease} documents are replaced by the objects their chart
 * renders to (see {@link HelmReleases}). Any error rejects the whole revision, with every error
 * listed.
 */
public final class KubernetesManifestLoader implements DesiredStateLoader {

  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private static final Comparator<RenderError> BY_LOCATION =
      Comparator.comparing((RenderError e) -> e.location().file())
          .thenComparingInt(e -> e.location().line());

  private final String target;
  private final String defaultNamespace;
  private final Kustomize kustomize;
  private final SopsDecryptor sops;
  private final HelmRenderer helm;
  private final ChartSource charts;

  /**
   * @param target the target's name, written to every object's {@code io.tidemark/target} label
   * @param defaultNamespace the namespace of namespaced objects that name none
   * @param kustomize renders folders that hold a kustomization
   */
  public KubernetesManifestLoader(String target, String defaultNamespace, Kustomize kustomize) {
    this(target, defaultNamespace, kustomize, SopsDecryptor.withoutKeys());
  }

  /** A loader that decrypts SOPS manifests in memory with {@code sops}. */
  public KubernetesManifestLoader(
      String target, String defaultNamespace, Kustomize kustomize, SopsDecryptor sops) {
    this(target, defaultNamespace, kustomize, sops, new HelmRenderer());
  }

  /**
   * @param helm templates the charts of {@code tidemark.io/v1 HelmRelease} documents (and caches)
   */
  public KubernetesManifestLoader(
      String target, String defaultNamespace, Kustomize kustomize, HelmRenderer helm) {
    this(target, defaultNamespace, kustomize, SopsDecryptor.withoutKeys(), helm);
  }

  /** A loader with SOPS decryption and Helm rendering both given; local charts only. */
  public KubernetesManifestLoader(
      String target,
      String defaultNamespace,
      Kustomize kustomize,
      SopsDecryptor sops,
      HelmRenderer helm) {
    this(target, defaultNamespace, kustomize, sops, helm, ChartSource.none());
  }

  /**
   * @param charts fetches and caches the charts releases take from HTTP repositories and OCI
   *     registries
   */
  public KubernetesManifestLoader(
      String target,
      String defaultNamespace,
      Kustomize kustomize,
      SopsDecryptor sops,
      HelmRenderer helm,
      ChartSource charts) {
    this.charts = Objects.requireNonNull(charts, "charts");
    this.sops = Objects.requireNonNull(sops, "sops");
    this.helm = Objects.requireNonNull(helm, "helm");
    this.target = Objects.requireNonNull(target, "target");
    this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace");
    this.kustomize = Objects.requireNonNull(kustomize, "kustomize");
    if (target.isEmpty() || target.length() > 63 || !LABEL_VALUE.matcher(target).matches()) {
      throw new IllegalArgumentException("target name is not a valid label value: " + target);
    }
    if (defaultNamespace.isBlank()) {
      throw new IllegalArgumentException("default namespace must not be blank");
    }
  }

  @Override
  public DesiredState load(Path repoRoot, String folder, RevisionInfo revision)
      throws InvalidRevisionException {
    ManifestReader.Result read = ManifestFiles.read(repoRoot, folder, kustomize, sops);
    List<RenderError> errors = new ArrayList<>(read.errors());
    List<Manifest> manifests = read.manifests();
    Set<String> inputs = read.inputs();
    if (manifests.stream().anyMatch(m -> HelmReleases.isRelease(m.tree()))) {
      // A release may name a chart or values file anywhere in the repository: depend on all of it.
      inputs = Set.of("");
      manifests =
          new HelmReleases(realRoot(repoRoot), defaultNamespace, helm, charts)
              .expand(manifests, errors);
    }
    Map<String, Boolean> crdScopes = crdScopes(manifests);
    Map<ObjectKey, DesiredObject> objects = new LinkedHashMap<>();
    for (Manifest manifest : manifests) {
      DesiredObject object = toObject(manifest, crdScopes, revision, errors, read.secrets());
      if (object == null) {
        continue;
      }
      DesiredObject first = objects.putIfAbsent(object.key(), object);
      if (first != null) {
        errors.add(
            new RenderError(
                object.source(),
                "duplicate object " + object.key() + ", also declared at " + first.source()));
      }
    }
    if (!errors.isEmpty()) {
      errors.sort(BY_LOCATION);
      throw new InvalidRevisionException(errors);
    }
    return new DesiredState(objects, inputs);
  }

  private static Path realRoot(Path repoRoot) throws InvalidRevisionException {
    try {
      return repoRoot.toRealPath();
    } catch (java.io.IOException e) {
      throw new InvalidRevisionException(
          List.of(RenderError.at(".", 0, "repository checkout not readable: " + e.getMessage())));
    }
  }

  /** Qualified kind of each CRD in the revision -> whether it is cluster-scoped. */
  private static Map<String, Boolean> crdScopes(List<Manifest> manifests) {
    Map<String, Boolean> scopes = new HashMap<>();
    for (Manifest manifest : manifests) {
      Map<String, Object> tree = manifest.tree();
      if ("CustomResourceDefinition".equals(tree.get("kind"))
          && tree.get("apiVersion") instanceof String apiVersion
          && Kinds.group(apiVersion).equals("apiextensions.k8s.io")
          && Trees.at(tree, "spec", "group") instanceof String group
          && Trees.at(tree, "spec", "names", "kind") instanceof String kind) {
        scopes.put(kind + "." + group, "Cluster".equals(Trees.at(tree, "spec", "scope")));
      }
    }
    return scopes;
  }

  private DesiredObject toObject(
      Manifest manifest,
      Map<String, Boolean> crdScopes,
      RevisionInfo revision,
      List<RenderError> errors,
      Map<String, java.util.Set<String>> secrets) {
    Map<String, Object> tree = Trees.mutableCopy(manifest.tree());
    SourceLocation at = manifest.source();
    if (!(tree.get("apiVersion") instanceof String apiVersion) || apiVersion.isBlank()) {
      errors.add(new RenderError(at, "apiVersion missing or not a string"));
      return null;
    }
    if (!(tree.get("kind") instanceof String kind) || kind.isBlank()) {
      errors.add(new RenderError(at, "kind missing or not a string"));
      return null;
    }
    if (!(tree.get("metadata") instanceof Map<?, ?>)
        || !(Trees.at(tree, "metadata", "name") instanceof String name)
        || name.isBlank()) {
      errors.add(new RenderError(at, kind + " has no metadata.name"));
      return null;
    }
    String qualified = Kinds.qualified(apiVersion, kind);
    boolean clusterScoped =
        Kinds.builtInClusterScoped(qualified) || crdScopes.getOrDefault(qualified, false);
    Map<String, Object> metadata = child(tree, "metadata");
    Object namespace = metadata.get("namespace");
    if (namespace != null && !(namespace instanceof String)) {
      errors.add(new RenderError(at, "metadata.namespace is not a string"));
      return null;
    }
    if (clusterScoped && namespace != null) {
      errors.add(new RenderError(at, qualified + " is cluster-scoped but names a namespace"));
      return null;
    }
    if (!clusterScoped && namespace == null) {
      namespace = defaultNamespace;
      metadata.put("namespace", namespace);
    }
    child(metadata, "labels").put(Labels.TARGET, target);
    child(metadata, "annotations").put(Labels.COMMIT, revision.commit());
    ObjectKey key = new ObjectKey(qualified, clusterScoped ? "" : (String) namespace, name);
    return new DesiredObject(
        key, tree, at, "Secret".equals(qualified), secrets.getOrDefault(at.file(), Set.of()));
  }

  /** The map under {@code key}, created when absent (labels and annotations may be missing). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    Map<String, Object> created = new LinkedHashMap<>();
    parent.put(key, created);
    return created;
  }
}
