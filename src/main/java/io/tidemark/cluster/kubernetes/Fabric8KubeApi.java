package io.tidemark.cluster.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * {@link KubeApi} over the HTTP connection of a fabric8 client (its kubeconfig handling,
 * authentication, TLS and timeouts), with plain JSON trees on the wire: every answer is parsed once
 * into the tree Tidemark works on, without fabric8's typed resources in between (they cost three
 * copies per object and, on first use, loading its whole model, ~700 classes, which was half of a
 * CLI run's fixed cost). Kinds are resolved through API discovery once per apiVersion and kind (so
 * custom resources work like built-in kinds); the server's Status of a refusal is passed on as an
 * {@link ApiStatus}.
 */
public final class Fabric8KubeApi implements KubeApi {

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final Map<String, ApiResource> kinds = new ConcurrentHashMap<>();
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
    // A serialization that does not search the class path for every model class fabric8 has (about
    // 600, half a second of a CLI run): this client only carries plain JSON trees.
    return new Fabric8KubeApi(
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(once)
            .withKubernetesSerialization(new KubernetesSerialization(new ObjectMapper(), false))
            .build());
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
                resource(apiVersion, kind),
                text(Trees.at(object, "metadata", "namespace")),
                text(Trees.at(object, "metadata", "name")))
            + query;
    return request(url).method("PATCH", APPLY_PATCH, serialization.asJson(object));
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
    Answer answer = send("discover " + group, request(base() + "apis/" + group));
    if (answer.code() == 404) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw failure("discover " + group, answer);
    }
    if (!(Trees.at(answer.tree(), "preferredVersion", "groupVersion") instanceof String version)) {
      return Optional.empty();
    }
    versions.put(group, version);
    return Optional.of(version);
  }

  @Override
  public String serverVersion() throws KubeApiException {
    Answer answer = send("read the server version", request(base() + "version"));
    if (!answer.ok()) {
      throw failure("read the server version", answer);
    }
    return text(answer.tree().get("gitVersion"));
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
        collectionUrl(resource(apiVersion, kind), "")
            + "?labelSelector="
            + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8);
    Answer answer = send(what, request(url));
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

  /** The API server's address, ending in a slash. */
  private String base() {
    String base = client.getMasterUrl().toString();
    return base.endsWith("/") ? base : base + "/";
  }

  private HttpRequest.Builder request(String url) {
    return client.getHttpClient().newHttpRequestBuilder().uri(url);
  }

  /**
   * The URL of a kind's objects: in {@code namespace} when the kind is namespaced and one is given,
   * else in every namespace (or the cluster, for a cluster-scoped kind).
   */
  private String collectionUrl(ApiResource resource, String namespace) {
    StringBuilder url = new StringBuilder(base());
    url.append(resource.groupVersion().contains("/") ? "apis/" : "api/");
    url.append(resource.groupVersion());
    if (resource.namespaced() && !namespace.isEmpty()) {
      url.append("/namespaces/").append(namespace);
    }
    return url.append('/').append(resource.plural()).toString();
  }

  /** The URL of one object; a namespaced object without a namespace is in the client's default. */
  private String objectUrl(ApiResource resource, String namespace, String name) {
    String in = namespace;
    if (resource.namespaced() && in.isEmpty()) {
      in = client.getNamespace() == null ? "default" : client.getNamespace();
    }
    return collectionUrl(resource, in) + "/" + name;
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
    String url = objectUrl(resource(apiVersion, kind), namespace, name);
    Answer answer = send(what, request(url));
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
    String what = "patch " + kind + " " + namespace + "/" + name;
    String url = objectUrl(resource(apiVersion, kind), namespace, name);
    Answer answer = send(what, request(url).method("PATCH", JSON_PATCH, serialization.asJson(ops)));
    if (!answer.ok()) {
      throw failure(what, answer);
    }
    return answer.tree();
  }

  private static final String JSON_PATCH = "application/json-patch+json";

  /**
   * Deletes in the background, as kubectl does: dependents are removed by the garbage collector.
   */
  @Override
  public boolean delete(String apiVersion, String kind, String namespace, String name)
      throws KubeApiException {
    String what = "delete " + kind + " " + namespace + "/" + name;
    String url = objectUrl(resource(apiVersion, kind), namespace, name);
    Answer answer = send(what, request(url).method("DELETE", JSON, BACKGROUND));
    if (answer.code() == 404) {
      return false;
    }
    if (!answer.ok()) {
      throw failure(what, answer);
    }
    return true;
  }

  private static final String JSON = "application/json";
  private static final String BACKGROUND =
      "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}";

  /** What discovery says of one kind: where its objects are, and whether they are namespaced. */
  private record ApiResource(String groupVersion, String plural, boolean namespaced) {}

  /**
   * The resource of a kind, from discovery (once per apiVersion); asked again when a kind is new (a
   * CRD just applied). A 404 status when the server does not serve it.
   */
  private ApiResource resource(String apiVersion, String kind) throws KubeApiException {
    String key = apiVersion + "/" + kind;
    ApiResource known = kinds.get(key);
    if (known != null) {
      return known;
    }
    String url = base() + (apiVersion.contains("/") ? "apis/" : "api/") + apiVersion;
    Answer answer = send("discover " + apiVersion, request(url));
    if (!answer.ok() && answer.code() != 404) {
      throw failure("discover " + apiVersion, answer);
    }
    if (answer.ok() && answer.tree().get("resources") instanceof List<?> resources) {
      for (Object item : resources) {
        if (item instanceof Map<?, ?> resource
            && resource.get("name") instanceof String plural
            && !plural.contains("/")
            && resource.get("kind") instanceof String served) {
          kinds.putIfAbsent(
              apiVersion + "/" + served,
              new ApiResource(apiVersion, plural, Boolean.TRUE.equals(resource.get("namespaced"))));
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
