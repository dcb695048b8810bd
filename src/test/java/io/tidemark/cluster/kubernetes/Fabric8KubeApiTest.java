package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.tidemark.diff.TreeDiff;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fabric8 plumbing of {@link KubeApi} on fabric8's mock server in expectation mode: the exact
 * requests it sends, answered with bodies recorded from a real kube-apiserver (fixtures). The
 * discovery documents are written here by hand (not recorded), with the fields fabric8 reads.
 */
class Fabric8KubeApiTest {

  private static final String APPS =
      "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"apps/v1\",\"resources\":["
          + "{\"name\":\"deployments\",\"singularName\":\"deployment\",\"namespaced\":true,"
          + "\"kind\":\"Deployment\",\"verbs\":[\"get\",\"list\",\"patch\",\"delete\"]},"
          + "{\"name\":\"deployments/scale\",\"singularName\":\"\",\"namespaced\":true,"
          + "\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\",\"verbs\":[\"get\"]}]}";
  private static final String CORE =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + "{\"name\":\"namespaces\",\"singularName\":\"namespace\",\"namespaced\":false,"
          + "\"kind\":\"Namespace\",\"verbs\":[\"get\",\"list\"]},"
          + "{\"name\":\"configmaps\",\"singularName\":\"configmap\",\"namespaced\":true,"
          + "\"kind\":\"ConfigMap\",\"verbs\":[\"get\",\"list\",\"patch\"]}]}";
  private static final String BATCH =
      "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"batch/v1\",\"resources\":["
          + "{\"name\":\"jobs\",\"singularName\":\"job\",\"namespaced\":true,\"kind\":\"Job\","
          + "\"verbs\":[\"get\",\"patch\"]}]}";
  private static final String WEB = "/apis/apps/v1/namespaces/shop/deployments/web";
  private static final String SELECTOR = "labelSelector=io.tidemark%2Ftarget%3Dshop";

  private final ObjectMapper json = new ObjectMapper();
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Fabric8KubeApi api;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    api = new Fabric8KubeApi(client);
    server.expect().get().withPath("/apis/apps/v1").andReturn(200, APPS).always();
    server.expect().get().withPath("/api/v1").andReturn(200, CORE).always();
    server.expect().get().withPath("/apis/batch/v1").andReturn(200, BATCH).always();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void dryRunIsAForcedServerSideApplyAsTidemarkWithDryRunAll() throws Exception {
    Map<String, Object> desired = desired("deployment-scaled");
    server
        .expect()
        .patch()
        .withPath(WEB + "?fieldManager=tidemark&dryRun=All&force=true")
        .andReturn(200, Fixtures.text("deployment-scaled", "dry-run.json"))
        .once();

    DryRunResult result = api.dryRunApply(desired);

    RecordedRequest discovery = server.takeRequest();
    RecordedRequest patch = server.takeRequest();
    assertThat(discovery.getPath()).isEqualTo("/apis/apps/v1");
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getPath()).isEqualTo(WEB + "?fieldManager=tidemark&dryRun=All&force=true");
    assertThat(patch.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    assertThat(TreeDiff.same(json.readValue(patch.getBody().readUtf8(), Map.class), desired))
        .isTrue();
    assertThat(result.accepted()).isTrue();
    assertThat(TreeDiff.same(result.object(), Fixtures.json("deployment-scaled", "dry-run.json")))
        .as("the recorded answer survives fabric8's conversion unchanged")
        .isTrue();
  }

  @Test
  void applyForcesOnlyWhenAsked() throws Exception {
    Map<String, Object> desired = desired("deployment-scaled");
    server
        .expect()
        .patch()
        .withPath(WEB + "?fieldManager=tidemark&force=true")
        .andReturn(200, Fixtures.text("deployment-scaled", "dry-run.json"))
        .once();
    server
        .expect()
        .patch()
        .withPath(WEB + "?fieldManager=tidemark")
        .andReturn(409, Fixtures.text("deployment-scaled", "dry-run-noforce-409.json"))
        .once();

    Map<String, Object> stored = api.apply(desired, true);

    assertThatThrownBy(() -> api.apply(desired, false))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.status()).get().extracting(ApiStatus::conflict).isEqualTo(true);
              assertThat(e.getMessage()).contains("conflict with \"kubectl\"");
            });
    assertThat(stored).containsEntry("kind", "Deployment");
    server.takeRequest();
    assertThat(server.takeRequest().getPath()).isEqualTo(WEB + "?fieldManager=tidemark&force=true");
    RecordedRequest plain = server.takeRequest();
    assertThat(plain.getMethod()).isEqualTo("PATCH");
    assertThat(plain.getPath()).isEqualTo(WEB + "?fieldManager=tidemark");
    assertThat(plain.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
  }

  @Test
  void passesTheServersRefusalOfAnImmutableChangeOn() throws Exception {
    String job = "/apis/batch/v1/namespaces/shop/jobs/db-migrate";
    server
        .expect()
        .patch()
        .withPath(job + "?fieldManager=tidemark&dryRun=All&force=true")
        .andReturn(422, Fixtures.text("job-immutable", "dry-run-error.json"))
        .once();
    server
        .expect()
        .patch()
        .withPath(job + "?fieldManager=tidemark&force=true")
        .andReturn(422, Fixtures.text("job-immutable", "apply-error.json"))
        .once();

    DryRunResult dryRun = api.dryRunApply(desired("job-immutable"));

    assertThat(dryRun.accepted()).isFalse();
    assertThat(dryRun.refusal().immutable()).isTrue();
    assertThatThrownBy(() -> api.apply(desired("job-immutable"), true))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.status()).get().extracting(ApiStatus::immutable).isEqualTo(true);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "apply Job shop/db-migrate: 422 Invalid: spec.template: field is immutable")
                  .doesNotContain("0xc0");
              assertThat(e.getCause()).isNull();
            });
  }

  @Test
  void listsAKindInEveryNamespaceByLabelAndKeepsManagedFields() throws Exception {
    Map<String, Object> live = Fixtures.json("deployment-scaled", "live.json");
    String list =
        "{\"kind\":\"DeploymentList\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"resourceVersion\":\"400\"},"
            + "\"items\":["
            + json.writeValueAsString(live)
            + "]}";
    server
        .expect()
        .get()
        .withPath("/apis/apps/v1/deployments?" + SELECTOR)
        .andReturn(200, list)
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces?" + SELECTOR)
        .andReturn(
            200, "{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[]}")
        .once();

    List<Map<String, Object>> deployments =
        api.list("apps/v1", "Deployment", "io.tidemark/target=shop");
    List<Map<String, Object>> namespaces = api.list("v1", "Namespace", "io.tidemark/target=shop");

    assertThat(deployments).hasSize(1);
    assertThat(TreeDiff.same(deployments.get(0), live)).isTrue();
    assertThat(namespaces).isEmpty();
    assertThat(paths())
        .containsExactly(
            "/apis/apps/v1",
            "/apis/apps/v1/deployments?" + SELECTOR,
            "/api/v1",
            "/api/v1/namespaces?" + SELECTOR);
  }

  @Test
  void getsOneObjectOrNothingWhenTheServerSays404() throws Exception {
    server
        .expect()
        .get()
        .withPath(WEB)
        .andReturn(404, Fixtures.text("deleted", "live-404.json"))
        .once();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/shop/configmaps/web-config")
        .andReturn(200, Fixtures.text("configmap-changed", "live.json"))
        .once();

    assertThat(api.get("apps/v1", "Deployment", "shop", "web")).isEmpty();
    assertThat(api.get("v1", "ConfigMap", "shop", "web-config"))
        .get()
        .satisfies(
            cm ->
                assertThat(TreeDiff.same(cm, Fixtures.json("configmap-changed", "live.json")))
                    .isTrue());
  }

  @Test
  void deletesOneObjectAndToleratesOneAlreadyGone() throws Exception {
    server
        .expect()
        .delete()
        .withPath(WEB)
        .andReturn(
            200,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\",\"details\":{\"name\":\"web\",\"group\":\"apps\",\"kind\":\"deployments\"}}")
        .once();
    server
        .expect()
        .delete()
        .withPath(WEB)
        .andReturn(404, Fixtures.text("deleted", "live-404.json"))
        .once();

    assertThat(api.delete("apps/v1", "Deployment", "shop", "web")).isTrue();
    assertThat(api.delete("apps/v1", "Deployment", "shop", "web")).isFalse();
    server.takeRequest();
    assertThat(server.takeRequest().getMethod()).isEqualTo("DELETE");
  }

  @Test
  void discoversEachKindOnceAndRefusesADryRunOfAnUnservedKind() throws Exception {
    server
        .expect()
        .patch()
        .withPath(WEB + "?fieldManager=tidemark&dryRun=All&force=true")
        .andReturn(200, Fixtures.text("deployment-defaults", "dry-run.json"))
        .times(2);
    server
        .expect()
        .get()
        .withPath("/apis/ops.example.com/v1")
        .andReturn(404, Fixtures.text("deleted", "live-404.json"))
        .always();

    api.dryRunApply(desired("deployment-defaults"));
    api.dryRunApply(desired("deployment-defaults"));
    DryRunResult custom = api.dryRunApply(desired("crd-and-cr"));

    assertThat(custom.refusal().code()).isEqualTo(404);
    assertThat(paths())
        .containsExactly(
            "/apis/apps/v1",
            WEB + "?fieldManager=tidemark&dryRun=All&force=true",
            WEB + "?fieldManager=tidemark&dryRun=All&force=true",
            "/apis/ops.example.com/v1");
  }

  @Test
  void asksEachGroupForItsPreferredVersionOnce() throws Exception {
    server
        .expect()
        .get()
        .withPath("/apis/batch")
        .andReturn(
            200,
            "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",\"name\":\"batch\","
                + "\"versions\":[{\"groupVersion\":\"batch/v1\",\"version\":\"v1\"}],"
                + "\"preferredVersion\":{\"groupVersion\":\"batch/v1\",\"version\":\"v1\"}}")
        .once();
    server
        .expect()
        .get()
        .withPath("/apis/gone.example.com")
        .andReturn(404, Fixtures.text("deleted", "live-404.json"))
        .once();

    assertThat(api.preferredVersion("batch")).contains("batch/v1");
    assertThat(api.preferredVersion("batch")).contains("batch/v1");
    assertThat(api.preferredVersion("")).contains("v1");
    assertThat(api.preferredVersion("gone.example.com")).isEmpty();
    assertThat(paths()).containsExactly("/apis/batch", "/apis/gone.example.com");
  }

  private List<String> paths() throws InterruptedException {
    List<String> paths = new java.util.ArrayList<>();
    int count = server.getRequestCount();
    for (int i = 0; i < count; i++) {
      paths.add(server.takeRequest().getPath());
    }
    return paths;
  }

  private static Map<String, Object> desired(String name) {
    ManifestReader.Result read =
        ManifestReader.read(new StringReader(Fixtures.text(name, "desired.yaml")), name);
    assertThat(read.errors()).isEmpty();
    return read.manifests().get(0).tree();
  }
}
