package io.tidemark.cluster.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * fabric8's CRUD mock server taught the little of server-side apply that core objects need here: an
 * apply PATCH (with or without {@code dryRun=All}) merges labels and annotations, replaces the
 * other fields it names, turns a Secret's {@code stringData} into base64 {@code data} as the API
 * server does, and stores the result through the CRUD store (or only answers it, for a dry run). It
 * also serves the core group's discovery document. Field ownership is not modelled.
 */
final class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {

  private static final String CORE =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + resource("namespaces", "Namespace", false)
          + ","
          + resource("configmaps", "ConfigMap", true)
          + ","
          + resource("secrets", "Secret", true)
          + "]}";

  private final ObjectMapper json = new ObjectMapper();

  private static String resource(String plural, String kind, boolean namespaced) {
    return "{\"name\":\""
        + plural
        + "\",\"singularName\":\"\",\"namespaced\":"
        + namespaced
        + ",\"kind\":\""
        + kind
        + "\",\"verbs\":[\"create\",\"get\",\"list\",\"patch\",\"delete\"]}";
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("/api/v1".equals(request.getPath())) {
      return new MockResponse().setResponseCode(200).setBody(CORE);
    }
    String type = request.getHeader("Content-Type");
    if ("PATCH".equals(request.getMethod())
        && type != null
        && type.startsWith("application/apply-patch")) {
      try {
        return apply(request);
      } catch (Exception e) {
        return new MockResponse().setResponseCode(500).setBody(String.valueOf(e));
      }
    }
    return super.dispatch(request);
  }

  @SuppressWarnings("unchecked")
  private MockResponse apply(RecordedRequest request) throws Exception {
    String path = request.getPath();
    String item = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    boolean dryRun = path.contains("dryRun=All");
    Map<String, Object> desired = json.readValue(request.getUtf8Body(), Map.class);
    if ("Secret".equals(desired.get("kind")) && desired.get("stringData") instanceof Map<?, ?> s) {
      Map<String, Object> data = new LinkedHashMap<>();
      if (desired.get("data") instanceof Map<?, ?> d) {
        d.forEach((k, v) -> data.put(String.valueOf(k), v));
      }
      s.forEach(
          (k, v) ->
              data.put(
                  String.valueOf(k),
                  Base64.getEncoder()
                      .encodeToString(String.valueOf(v).getBytes(StandardCharsets.UTF_8))));
      desired.remove("stringData");
      desired.put("data", data);
    }
    MockResponse current = handleGet(item);
    boolean exists = current.code() == 200;
    Map<String, Object> merged =
        exists ? json.readValue(current.getBody().readUtf8(), Map.class) : new LinkedHashMap<>();
    for (Map.Entry<String, Object> field : desired.entrySet()) {
      if (!"metadata".equals(field.getKey())) {
        merged.put(field.getKey(), field.getValue());
      }
    }
    Map<String, Object> metadata =
        (Map<String, Object>) merged.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    Map<String, Object> wanted = (Map<String, Object>) desired.get("metadata");
    for (Map.Entry<String, Object> field : wanted.entrySet()) {
      if (field.getValue() instanceof Map<?, ?> values
          && metadata.get(field.getKey()) instanceof Map<?, ?> known) {
        ((Map<Object, Object>) known).putAll(values);
      } else {
        metadata.put(field.getKey(), field.getValue());
      }
    }
    String body = json.writeValueAsString(merged);
    if (dryRun) {
      return new MockResponse().setResponseCode(200).setBody(body);
    }
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    Buffer buffer = new Buffer(body.getBytes(StandardCharsets.UTF_8));
    return exists
        ? handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, item, headers, buffer))
        : handleCreate(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.POST,
                item.substring(0, item.lastIndexOf('/')),
                headers,
                buffer));
  }
}
