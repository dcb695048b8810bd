package io.tidemark.cluster.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
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
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tidemark.model.Trees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

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
    String what = "apply " + describe(object);
    Answer answer = send(what, serverSideApply(object, force, false));
    if (!answer.ok()) {
      throw failure(what, answer);
    }
    return answer.tree();
  }

  @Override
  public DryRunResult dryRunApply(Map<String, ?> object) throws KubeApiException {
    HttpRequest.Builder request;
    try {
      request = serverSideApply(object, true, true);
    } catch (KubeApiException e) {
      // A kind the server does not serve (yet: its CRD is still to be applied) is a refusal.
      if (e.status().isPresent()) {
        return DryRunResult.refused(e.status().get());
      }
      throw e;
    }
    String what = "dry-run apply " + describe(object);
    Answer answer = send(what, request);
    if (answer.ok()) {
      return DryRunResult.accepted(answer.tree());
    }
    ApiStatus status = status(answer);
    // A refusal is the server's verdict on the object; 429 is only "not now", and is retried.
    if (answer.code() >= 400 && answer.code() < 500 && answer.code() != 429) {
      return DryRunResult.refused(status);
    }
    if (status.unreadableObject()) {
      return DryRunResult.refused(status); // a schema error: kube-apiserver answers 500
    }
    throw new KubeApiException(what + ": " + status.summary(), status, null);
  }

  /**
   * A forced (or not) server-side apply of one object as {@value #FIELD_MANAGER}, sent as JSON
   * (which is YAML) with the apply-patch content type, as kubectl does.
   */
  private HttpRequest.Builder serverSideApply(Map<String, ?> object, boolean force, boolean dryRun)
      throws KubeApiException {
    String apiVersion = text(object.get("apiVersion"));
    String kind = text(object.get("kind"));
    String query =
        "?fieldManager="
            + FIELD_MANAGER
            + (dryRun ? "&dryRun=All" : "")
            + (force ? "&force=true" : "");
    String url =
        objectUrl(
                context(apiVersion, kind),
                text(Trees.at(object, "metadata", "namespace")),
                text(Trees.at(object, "metadata", "name")))
            + query;
    return client
        .getHttpClient()
        .newHttpRequestBuilder()
        .uri(url)
        .method("PATCH", APPLY_PATCH, serialization.asJson(object));
  }

  private static final String APPLY_PATCH = "application/apply-patch+yaml";

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

  /**
   * Lists over the client's HTTP connection and reads the answer straight into plain trees: one
   * parse per object, where fabric8's typed list made three copies (its resources, a token buffer,
   * the trees), which on a no-op poll of thousands of objects was most of the garbage.
   */
  @Override
  public List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector)
      throws KubeApiException {
    String what = "list " + kind + " " + labelSelector;
    String url =
        collectionUrl(context(apiVersion, kind), "")
            + "?labelSelector="
            + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8);
    Answer answer = send(what, client.getHttpClient().newHttpRequestBuilder().uri(url));
    if (!answer.ok()) {
      throw failure(what, answer);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    if (answer.tree().get("items") instanceof List<?> listed) {
      for (Object item : listed) {
        if (item instanceof Map<?, ?> object) {
          items.add(withKind(object, apiVersion, kind));
        }
      }
    }
    return items;
  }

  /** A server's answer: its status code and its body read as a tree (empty when it had none). */
  private record Answer(int code, Map<String, Object> tree) {
    boolean ok() {
      return code >= 200 && code < 300;
    }
  }

  /**
   * Sends one request over the client's connection (its authentication, TLS and timeouts) and reads
   * the answer straight into a plain tree: one parse per object, where fabric8's typed resources
   * made three copies of each (the resource, a token buffer, the tree), which on a no-op poll of
   * thousands of objects was most of the garbage, and on a cold plan most of the client's CPU.
   *
   * @throws KubeApiException without a status when no answer came (I/O, timeout)
   */
  private Answer send(String what, HttpRequest.Builder builder) throws KubeApiException {
    HttpRequest request =
        builder
            .header("Accept", "application/json")
            // As kubectl does: the server gzips answers over 128 KiB (a list of thousands of
            // objects), which saves most of the bytes TLS decrypts, and TLS decryption without C2's
            // AES intrinsics was a third of a 5,000-object no-op poll's CPU.
            .header("Accept-Encoding", "gzip")
            .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS)
            .build();
    HttpResponse<byte[]> response;
    try {
      // The whole body, then one parse: a body read as a stream and closed before its end (the
      // parser stops at the closing brace) leaves the pooled connection unusable.
      response = client.getHttpClient().sendAsync(request, byte[].class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeApiException(what + ": interrupted", null, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new KubeApiException(what + ": " + cause.getMessage(), null, cause);
    }
    byte[] body = response.body();
    if (body == null || body.length == 0) {
      return new Answer(response.code(), new LinkedHashMap<>());
    }
    try (InputStream json = gzipped(body) ? gunzip(body) : new ByteArrayInputStream(body)) {
      Map<String, Object> tree = serialization.unmarshal(json, TREE);
      return new Answer(response.code(), tree == null ? new LinkedHashMap<>() : tree);
    } catch (IOException | RuntimeException e) {
      if (response.code() >= 200 && response.code() < 300) {
        throw new KubeApiException(what + ": unreadable answer: " + e.getMessage(), null, e);
      }
      return new Answer(response.code(), new LinkedHashMap<>()); // an error page, not a Status
    }
  }

  private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

  /**
   * Whether a body is gzip (its magic bytes; JSON never starts so), whatever the HTTP client did
   * with the Content-Encoding header.
   */
  private static boolean gzipped(byte[] body) {
    return body.length > 2 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b;
  }

  private static InputStream gunzip(byte[] body) throws IOException {
    return new GZIPInputStream(new ByteArrayInputStream(body), 64 * 1024);
  }

  /**
   * The URL of a kind's objects: in {@code namespace} when the kind is namespaced and one is given,
   * else in every namespace (or the cluster, for a cluster-scoped kind).
   */
  private String collectionUrl(ResourceDefinitionContext context, String namespace) {
    String base = client.getMasterUrl().toString();
    StringBuilder url = new StringBuilder(base);
    if (!base.endsWith("/")) {
      url.append('/');
    }
    String group = context.getGroup() == null ? "" : context.getGroup();
    url.append(group.isEmpty() ? "api/" : "apis/" + group + "/").append(context.getVersion());
    if (context.isNamespaceScoped() && !namespace.isEmpty()) {
      url.append("/namespaces/").append(namespace);
    }
    return url.append('/').append(context.getPlural()).toString();
  }

  /** The URL of one object; a namespaced object without a namespace is in the client's default. */
  private String objectUrl(ResourceDefinitionContext context, String namespace, String name) {
    String in = namespace;
    if (context.isNamespaceScoped() && in.isEmpty()) {
      in = client.getNamespace() == null ? "default" : client.getNamespace();
    }
    return collectionUrl(context, in) + "/" + name;
  }

  /**
   * A listed item with its apiVersion and kind first: the server leaves them out of the items of a
   * built-in kind's list.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withKind(Map<?, ?> item, String apiVersion, String kind) {
    if (item.containsKey("apiVersion") && item.containsKey("kind")) {
      return (Map<String, Object>) item;
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("apiVersion", apiVersion);
    tree.put("kind", kind);
    item.forEach((k, v) -> tree.putIfAbsent(String.valueOf(k), v));
    return tree;
  }

  /** The server's Status of a refused request, or one made of the code when the body is none. */
  private static ApiStatus status(Answer answer) {
    if ("Status".equals(answer.tree().get("kind"))) {
      ApiStatus status = ApiStatus.fromTree(answer.tree());
      return status.code() == 0
          ? new ApiStatus(answer.code(), status.reason(), status.message(), status.causes())
          : status;
    }
    return new ApiStatus(answer.code(), "", "the server answered " + answer.code(), List.of());
  }

  private static KubeApiException failure(String what, Answer answer) {
    ApiStatus status = status(answer);
    // The server's message may quote the object (a Secret's data, too): keep only the summary.
    return new KubeApiException(what + ": " + status.summary(), status, null);
  }

  @Override
  public Optional<Map<String, Object>> get(
      String apiVersion, String kind, String namespace, String name) throws KubeApiException {
    String what = "get " + kind + " " + namespace + "/" + name;
    String url = objectUrl(context(apiVersion, kind), namespace, name);
    Answer answer = send(what, client.getHttpClient().newHttpRequestBuilder().uri(url));
    if (answer.code() == 404) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw failure(what, answer);
    }
    return Optional.of(answer.tree());
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

  private static String describe(Map<String, ?> object) {
    String namespace = text(Trees.at(object, "metadata", "namespace"));
    return text(object.get("kind"))
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + text(Trees.at(object, "metadata", "name"));
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
