package io.tidemark.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link KubeApi} over fabric8's generic resources. Kinds are resolved through API discovery once
 * per apiVersion and kind (so custom resources work like built-in kinds); the server's Status of a
 * refusal is passed on as an {@link ApiStatus}.
 */
public final class Fabric8KubeApi implements KubeApi {

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final Map<String, ResourceDefinitionContext> kinds = new ConcurrentHashMap<>();
  private final Map<String, String> versions = new ConcurrentHashMap<>();

  /**
   * Connects as {@code kubectl} would: the given kubeconfig file and context, or else the usual
   * lookup ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster service account).
   */
  public static Fabric8KubeApi connect(Optional<String> kubeconfig, Optional<String> context) {
    io.fabric8.kubernetes.client.Config config;
    if (kubeconfig.isPresent()) {
      try {
        String yaml = java.nio.file.Files.readString(java.nio.file.Path.of(kubeconfig.get()));
        config =
            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                context.orElse(null), yaml, kubeconfig.get());
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig.get(), e);
      }
    } else {
      config = io.fabric8.kubernetes.client.Config.autoConfigure(context.orElse(null));
    }
    return of(config);
  }

  /**
   * A client for {@code config} without fabric8's own retries (by default ten, from 100 ms
   * doubling, without jitter, on 429, every 5xx and I/O errors): {@link RetryingKubeApi} retries
   * fewer times, with jitter, and only where a retry can help.
   */
  public static Fabric8KubeApi of(io.fabric8.kubernetes.client.Config config) {
    io.fabric8.kubernetes.client.Config once =
        new io.fabric8.kubernetes.client.ConfigBuilder(config)
            .withRequestRetryBackoffLimit(0)
            .build();
    return new Fabric8KubeApi(
        new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(once).build());
  }

  public Fabric8KubeApi(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.serialization = client.getKubernetesSerialization();
  }

  /** Closes the client, its connections and threads. */
  public void close() {
    client.close();
  }

  @Override
  public Map<String, Object> apply(Map<String, ?> object, boolean force) throws KubeApiException {
    GenericKubernetesResource resource = toResource(object);
    try {
      var apply = one(resource).fieldManager(FIELD_MANAGER);
      return toTree(force ? apply.forceConflicts().serverSideApply() : apply.serverSideApply());
    } catch (KubernetesClientException e) {
      throw failure("apply " + describe(resource), e);
    }
  }

  @Override
  public DryRunResult dryRunApply(Map<String, ?> object) throws KubeApiException {
    GenericKubernetesResource resource = toResource(object);
    Resource<GenericKubernetesResource> target;
    try {
      target = one(resource);
    } catch (KubeApiException e) {
      // A kind the server does not serve (yet: its CRD is still to be applied) is a refusal.
      if (e.status().isPresent()) {
        return DryRunResult.refused(e.status().get());
      }
      throw e;
    }
    try {
      return DryRunResult.accepted(
          toTree(target.dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply()));
    } catch (KubernetesClientException e) {
      // A refusal is the server's verdict on the object; 429 is only "not now", and is retried.
      if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429) {
        return DryRunResult.refused(status(e));
      }
      if (e.getCode() == 500 && status(e).unreadableObject()) {
        return DryRunResult.refused(status(e)); // a schema error: kube-apiserver answers 500
      }
      throw failure("dry-run apply " + describe(resource), e);
    }
  }

  @Override
  public Optional<String> preferredVersion(String group) throws KubeApiException {
    if (group.isEmpty()) {
      return Optional.of("v1");
    }
    String known = versions.get(group);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      APIGroup served = client.getApiGroup(group);
      if (served == null || served.getPreferredVersion() == null) {
        return Optional.empty();
      }
      String version = served.getPreferredVersion().getGroupVersion();
      versions.put(group, version);
      return Optional.of(version);
    } catch (KubernetesClientException e) {
      throw failure("discover " + group, e);
    }
  }

  @Override
  public String serverVersion() throws KubeApiException {
    try {
      var info = client.getKubernetesVersion();
      return info == null || info.getGitVersion() == null ? "" : info.getGitVersion();
    } catch (KubernetesClientException e) {
      throw failure("read the server version", e);
    }
  }

  @Override
  public List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector)
      throws KubeApiException {
    MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, ?> op =
        operation(apiVersion, kind);
    try {
      var all = context(apiVersion, kind).isNamespaceScoped() ? op.inAnyNamespace() : op;
      return all.withLabelSelector(labelSelector).list().getItems().stream()
          .map(this::toTree)
          .toList();
    } catch (KubernetesClientException e) {
      throw failure("list " + kind + " " + labelSelector, e);
    }
  }

  @Override
  public Optional<Map<String, Object>> get(
      String apiVersion, String kind, String namespace, String name) throws KubeApiException {
    try {
      return Optional.ofNullable(named(apiVersion, kind, namespace, name).get()).map(this::toTree);
    } catch (KubernetesClientException e) {
      throw failure("get " + kind + " " + namespace + "/" + name, e);
    }
  }

  @Override
  public Map<String, Object> jsonPatch(
      String apiVersion, String kind, String namespace, String name, List<Map<String, ?>> ops)
      throws KubeApiException {
    try {
      return toTree(
          named(apiVersion, kind, namespace, name)
              .patch(
                  io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                      io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                  serialization.asJson(ops)));
    } catch (KubernetesClientException e) {
      throw failure("patch " + kind + " " + namespace + "/" + name, e);
    }
  }

  @Override
  public boolean delete(String apiVersion, String kind, String namespace, String name)
      throws KubeApiException {
    try {
      return !named(apiVersion, kind, namespace, name).delete().isEmpty();
    } catch (KubernetesClientException e) {
      throw failure("delete " + kind + " " + namespace + "/" + name, e);
    }
  }

  private Resource<GenericKubernetesResource> one(GenericKubernetesResource resource)
      throws KubeApiException {
    String namespace = resource.getMetadata().getNamespace();
    return scoped(resource.getApiVersion(), resource.getKind(), namespace).resource(resource);
  }

  private Resource<GenericKubernetesResource> named(
      String apiVersion, String kind, String namespace, String name) throws KubeApiException {
    return scoped(apiVersion, kind, namespace).withName(name);
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      scoped(String apiVersion, String kind, String namespace) throws KubeApiException {
    var op = operation(apiVersion, kind);
    boolean namespaced = context(apiVersion, kind).isNamespaceScoped();
    return namespaced ? op.inNamespace(namespace) : op;
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      operation(String apiVersion, String kind) throws KubeApiException {
    return client.genericKubernetesResources(context(apiVersion, kind));
  }

  /**
   * The resource of a kind, from discovery; asked again when a kind is new (a CRD just applied).
   */
  private ResourceDefinitionContext context(String apiVersion, String kind)
      throws KubeApiException {
    String key = apiVersion + "/" + kind;
    ResourceDefinitionContext known = kinds.get(key);
    if (known != null) {
      return known;
    }
    APIResourceList resources;
    try {
      resources = client.getApiResources(apiVersion);
    } catch (KubernetesClientException e) {
      throw failure("discover " + apiVersion, e);
    }
    if (resources != null) {
      for (APIResource resource : resources.getResources()) {
        if (!resource.getName().contains("/")) {
          kinds.putIfAbsent(
              apiVersion + "/" + resource.getKind(),
              ResourceDefinitionContext.fromApiResource(apiVersion, resource));
        }
      }
    }
    known = kinds.get(key);
    if (known == null) {
      ApiStatus notFound =
          new ApiStatus(
              404, "NotFound", "the server has no kind " + kind + " in " + apiVersion, List.of());
      throw new KubeApiException(notFound.message(), notFound, null);
    }
    return known;
  }

  private GenericKubernetesResource toResource(Map<String, ?> object) {
    return serialization.convertValue(object, GenericKubernetesResource.class);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> toTree(GenericKubernetesResource resource) {
    // Jackson builds a fresh tree of LinkedHashMaps and ArrayLists: no copy of it is needed.
    return serialization.convertValue(resource, Map.class);
  }

  private ApiStatus status(KubernetesClientException e) {
    if (e.getStatus() == null) {
      return new ApiStatus(e.getCode(), "", String.valueOf(e.getMessage()), List.of());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = serialization.convertValue(e.getStatus(), Map.class);
    ApiStatus status = ApiStatus.fromTree(tree);
    return status.code() == 0
        ? new ApiStatus(e.getCode(), status.reason(), status.message(), status.causes())
        : status;
  }

  private KubeApiException failure(String what, KubernetesClientException e) {
    ApiStatus status = e.getCode() > 0 ? status(e) : null;
    String reason = status == null ? String.valueOf(e.getMessage()) : status.summary();
    // The server's message may quote the object (a Secret's data, too): keep only the summary.
    return new KubeApiException(what + ": " + reason, status, status == null ? e : null);
  }

  private static String describe(GenericKubernetesResource resource) {
    String namespace = resource.getMetadata().getNamespace();
    return resource.getKind()
        + " "
        + (namespace == null ? "" : namespace + "/")
        + resource.getMetadata().getName();
  }
}
