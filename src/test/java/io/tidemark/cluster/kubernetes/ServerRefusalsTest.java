package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Tidemark makes of the refusals a real kube-apiserver v1.32 answered to server-side applies
 * (bodies recorded under {@code fixtures/kubernetes-refusals/}): a short reason naming the field,
 * no value the server quoted, schema errors (which the server answers with a 500) final rather than
 * retried, and an immutable Service clusterIP known as immutable.
 */
class ServerRefusalsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CORE =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"secrets\",\"singularName\":\"secret\",\"namespaced\":true,"
          + "\"kind\":\"Secret\",\"verbs\":[\"get\",\"list\",\"patch\",\"delete\"]}]}";
  private static final String SECRET = "/api/v1/namespaces/kfaults-x/secrets/s";

  private KubernetesMockServer server;
  private KubernetesClient client;
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private RetryingKubeApi api;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    RetryPolicy standard = RetryPolicy.standard();
    api =
        new RetryingKubeApi(
            Fabric8KubeApi.of(client.getConfiguration()),
            new RetryPolicy(
                standard.attempts(), standard.base(), standard.cap(), b -> 0, sleeps::add));
    server.expect().get().withPath("/api/v1").andReturn(200, CORE).always();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicas-string-500.json | 500: failed to create typed patch object: .spec.replicas:"
            + " expected numeric (int or float), got string",
        "secret-value-dump-500.json | 500: failed to create typed patch object: .stringData.pw:"
            + " expected string, got a value of another type (not shown)",
        "secret-not-base64-500.json | 500: failed to convert new object (kfaults-x/s; /v1,"
            + " Kind=Secret) to proper version: unable to convert unstructured object to /v1,"
            + " Kind=Secret: error decoding from json: illegal base64 data at input byte 7",
        "selector-immutable-422.json | 422 Invalid: spec.selector: field is immutable",
        "clusterip-immutable-422.json | 422 Invalid: spec.clusterIPs[0]: may not change once set",
        "quota-exceeded-403.json | 403 Forbidden: services \"svc-b\" is forbidden: exceeded quota:"
            + " q, requested: services=1, used: services=1, limited: services=1",
        "namespace-terminating-403.json | 403 Forbidden: metadata.namespace: namespace"
            + " kfaults-term is being terminated",
        "apply-conflict-409.json | 409 Conflict: .spec.replicas: conflict with \"tidemark\"",
      })
  void eachRecordedRefusalIsSummedUpWithTheServersReasonAndField(String file, String summary) {
    assertThat(ApiStatus.fromTree(recorded(file)).summary()).isEqualTo(summary);
  }

  @Test
  void aValueTheServerQuotesFromASecretNeverReachesTheSummary() {
    assertThat(ApiStatus.fromTree(recorded("secret-value-dump-500.json")).summary())
        .doesNotContain("hunter2")
        .doesNotContain("valueUnstructured");
  }

  @Test
  void aServiceClusterIpThatMayNotChangeIsImmutableLikeADeploymentSelector() {
    assertThat(ApiStatus.fromTree(recorded("clusterip-immutable-422.json")).immutable()).isTrue();
    assertThat(ApiStatus.fromTree(recorded("selector-immutable-422.json")).immutable()).isTrue();
    assertThat(ApiStatus.fromTree(recorded("quota-exceeded-403.json")).immutable()).isFalse();
  }

  @Test
  void aSchemaErrorAnswered500IsFinalWhileAnyOther500IsRetried() {
    ApiStatus schema = ApiStatus.fromTree(recorded("replicas-string-500.json"));
    ApiStatus failing =
        new ApiStatus(500, "InternalError", "etcdserver: leader changed", List.of());

    assertThat(RetryPolicy.retryable(new KubeApiException("apply", schema, null))).isFalse();
    assertThat(RetryPolicy.retryable(new KubeApiException("apply", failing, null))).isTrue();
  }

  @Test
  void anApplyRefusedForASchemaErrorIsSentOnceAndItsMessageHidesTheSecretValue() throws Exception {
    server
        .expect()
        .patch()
        .withPath(SECRET + "?fieldManager=tidemark&force=true")
        .andReturn(500, text("secret-value-dump-500.json"))
        .always();

    assertThatThrownBy(() -> api.apply(secret(), true))
        .isInstanceOf(KubeApiException.class)
        .hasMessage(
            "apply Secret kfaults-x/s: 500: failed to create typed patch object: .stringData.pw:"
                + " expected string, got a value of another type (not shown)");
    assertThat(server.getRequestCount()).isEqualTo(2); // discovery, then the one PATCH
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aDryRunRefusedForASchemaErrorIsTheServersVerdictNotAFailure() throws Exception {
    server
        .expect()
        .patch()
        .withPath(SECRET + "?fieldManager=tidemark&dryRun=All&force=true")
        .andReturn(500, text("secret-value-dump-500.json"))
        .always();

    DryRunResult result = api.dryRunApply(secret());

    assertThat(result.accepted()).isFalse();
    assertThat(result.refusal().unreadableObject()).isTrue();
    assertThat(sleeps).isEmpty();
  }

  private static Map<String, Object> secret() {
    return Map.of(
        "apiVersion",
        "v1",
        "kind",
        "Secret",
        "metadata",
        Map.of("name", "s", "namespace", "kfaults-x"),
        "stringData",
        Map.of("pw", List.of("hunter2")));
  }

  private static Map<String, Object> recorded(String file) {
    try {
      return JSON.readValue(text(file), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(String file) {
    try (InputStream in =
        ServerRefusalsTest.class.getResourceAsStream("/fixtures/kubernetes-refusals/" + file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
