package io.tidemark.cluster.kubernetes.realcluster;

import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.KUBECONFIG;
import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Helm release on a real cluster: opt-in like {@link RealClusterTest} ({@code
 * TIDEMARK_IT_KUBECONFIG}). The chart lives in the test's repository folder; each test works in a
 * namespace of its own and deletes it afterwards.
 */
class RealClusterHelmTest {

  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "it", "m", null);

  @TempDir Path repo;
  private String namespace;
  private KubernetesTarget target;

  @BeforeAll
  static void aClusterIsNamed() {
    assumeTrue(KUBECONFIG != null && !KUBECONFIG.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
  }

  @BeforeEach
  void repository() throws Exception {
    namespace = "tm-helm-" + UUID.randomUUID().toString().substring(0, 8);
    target =
        new KubernetesTarget(
            namespace,
            namespace,
            Fabric8KubeApi.connect(Optional.of(KUBECONFIG), Optional.empty()),
            folder -> "",
            Duration.ofMillis(500));
    write("00-namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n");
    write("charts/svc/Chart.yaml", "apiVersion: v2\nname: svc\nversion: 0.1.0\n");
    write("charts/svc/values.yaml", "replicas: 1\ngreeting: hello\nport: 8080\n");
    write(
        "charts/svc/templates/app.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{ .Release.Name }}}
        spec:
          replicas: {{ .Values.replicas }}
          selector: {matchLabels: {app: {{ .Release.Name }}}}
          template:
            metadata: {labels: {app: {{ .Release.Name }}}}
            spec:
              containers:
              - name: app
                image: tidemark-test/busybox:1
                ports: [{containerPort: {{ .Values.port }}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: {{ .Release.Name }}}
        spec:
          selector: {app: {{ .Release.Name }}}
          ports: [{port: {{ .Values.port }}}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ .Release.Name }}-settings}
        data:
          greeting: {{ .Values.greeting | quote }}
          kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-schema
          annotations: {"helm.sh/hook": pre-install}
        data: {version: "1"}
        """);
    write("values/orders.yaml", "replicas: 2\n");
    write(
        "release.yaml",
        """
        apiVersion: tidemark.io/v1
        kind: HelmRelease
        metadata: {name: orders, namespace: %s}
        spec:
          chart: ./charts/svc
          valuesFiles: [values/orders.yaml]
          values: {greeting: bonjour}
        """);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (namespace != null && KUBECONFIG != null) {
      kubectl("delete", "namespace", namespace, "--wait=false", "--ignore-not-found");
    }
  }

  @Test
  void aReleaseAppliedReconcilesToZeroDriftWithTheClustersVersion() throws Exception {
    Plan first = plan();
    assertThat(first.writes()).extracting(Change::type).containsOnly(ChangeType.CREATE);
    // The pre-install hook comes right after the Namespace, before the release's other objects.
    assertThat(first.writes().get(1).key().name()).isEqualTo("orders-schema");
    target.apply(first, REVISION, true);

    assertThat(plan().writes()).isEmpty();
    String version = kubectl("version", "-o", "json");
    String seen =
        kubectl(
            "-n",
            namespace,
            "get",
            "configmap/orders-settings",
            "-o",
            "jsonpath={.data.kubeVersion}");
    assertThat(version).contains("\"gitVersion\": \"" + seen + "\"");
  }

  @Test
  void aValuesChangeInGitIsADriftOfExactlyTheFieldsItChanges() throws Exception {
    target.apply(plan(), REVISION, true);
    write("values/orders.yaml", "replicas: 3\n");
    write(
        "release.yaml", Files.readString(repo.resolve("release.yaml")).replace("bonjour", "hallo"));

    Plan plan = plan();

    List<String> changed = new ArrayList<>();
    for (Change change : plan.writes()) {
      assertThat(change.type()).isEqualTo(ChangeType.UPDATE);
      for (FieldDiff diff : change.diffs()) {
        changed.add(
            change.key().name() + " " + diff.path() + " " + diff.live() + " -> " + diff.desired());
      }
    }
    assertThat(changed)
        .containsExactlyInAnyOrder(
            "orders spec.replicas 2 -> 3", "orders-settings data.greeting bonjour -> hallo");
    target.apply(plan, REVISION, true);
    assertThat(plan().writes()).isEmpty();
  }

  @Test
  void removingTheReleasePrunesItsObjects() throws Exception {
    target.apply(plan(), REVISION, true);
    Files.delete(repo.resolve("release.yaml"));
    Files.delete(repo.resolve("values/orders.yaml")); // a values file alone would be a manifest

    Plan plan = plan();

    assertThat(plan.writes())
        .extracting(c -> c.type() + " " + c.key().kind() + "/" + c.key().name())
        .containsExactlyInAnyOrder(
            "DELETE Deployment.apps/orders",
            "DELETE Service/orders",
            "DELETE ConfigMap/orders-settings",
            "DELETE ConfigMap/orders-schema");
    target.apply(plan, REVISION, true);
    assertThat(kubectl("-n", namespace, "get", "deployment,service,configmap", "-o", "name"))
        .doesNotContain("orders");
    assertThat(plan().writes()).isEmpty();
  }

  private Plan plan() throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  private void write(String file, String text) throws IOException {
    Path path = repo.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text.replace("%s", namespace));
  }
}
