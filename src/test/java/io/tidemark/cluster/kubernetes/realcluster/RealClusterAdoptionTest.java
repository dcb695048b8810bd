package io.tidemark.cluster.kubernetes.realcluster;

import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.KUBECONFIG;
import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemark.cluster.kubernetes.ApiVerb;
import io.tidemark.cluster.kubernetes.ControllerManagers;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.diff.IgnoreRule;
import io.tidemark.diff.PlanPolicy;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.SyncWindows;
import io.tidemark.reconcile.TargetReconciler;
import io.tidemark.reconcile.TargetSettings;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ObjectReport;
import io.tidemark.report.RunListener;
import io.tidemark.source.LocalFolderSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adoption and ignore rules on a real cluster, opt-in as {@link RealClusterTest}: objects made by
 * {@code kubectl apply} (client-side, with its last-applied annotation) and {@code kubectl create}
 * are conflicts with their whole diff and owner in detect mode, and end exactly as Git says once
 * adopted; an object another Tidemark target owns stays a conflict; an ignored field set by {@code
 * kubectl scale} or {@code kubectl set env} is neither drift nor written. Each test works in a
 * namespace of its own.
 */
class RealClusterAdoptionTest {

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @TempDir Path repo;
  private String namespace;
  private KubernetesTarget target;

  @BeforeAll
  static void aClusterIsNamed() {
    assumeTrue(KUBECONFIG != null && !KUBECONFIG.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
  }

  @BeforeEach
  void namespace() throws Exception {
    namespace = "tm-adopt-" + UUID.randomUUID().toString().substring(0, 8);
    target =
        new KubernetesTarget(
            namespace,
            namespace,
            Fabric8KubeApi.connect(Optional.of(KUBECONFIG), Optional.empty()),
            folder -> "",
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            ControllerManagers.defaults(),
            SopsDecryptor.withoutKeys());
    kubectl("create", "namespace", namespace);
    Files.createDirectories(repo.resolve("k8s"));
    Files.writeString(repo.resolve("k8s/app.yaml"), git("nginx:1.27"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (namespace != null && KUBECONFIG != null) {
      kubectl("delete", "namespace", namespace, "--wait=false", "--ignore-not-found");
    }
  }

  /** What Git says: a Deployment, a ConfigMap, and a ConfigMap another Tidemark target owns. */
  private String git(String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %1$s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: %2$s
                env: [{name: LOG_LEVEL, value: info}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: %1$s}
        data: {LOG_LEVEL: info}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: shared, namespace: %1$s}
        data: {owner: git}
        """
        .formatted(namespace, image);
  }

  /** The same objects as a team made them by hand, each with a key Git does not have. */
  private void deployByHand() throws Exception {
    Path applied = repo.resolve("by-hand-apply.yaml");
    Files.writeString(
        applied,
        git("nginx:1.27")
            .replace(
                "metadata: {name: web, namespace: " + namespace + "}",
                "metadata: {name: web, namespace: " + namespace + ", labels: {legacy: \"yes\"}}")
            .replace(
                "env: [{name: LOG_LEVEL, value: info}]",
                "env: [{name: LOG_LEVEL, value: info}, {name: OLD_FLAG, value: \"1\"}]")
            .split("\n---\n")[0]);
    kubectl("apply", "-f", applied.toString());
    Path created = repo.resolve("by-hand-create.yaml");
    Files.writeString(
        created,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app, namespace: %1$s}
        data: {LOG_LEVEL: debug, EXTRA: "1"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: shared
          namespace: %1$s
          labels: {io.tidemark/target: another-target}
        data: {owner: another}
        """
            .formatted(namespace));
    kubectl("create", "-f", created.toString());
  }

  private DriftReport reconcile(Mode mode, PlanPolicy policy) {
    TargetSettings settings =
        new TargetSettings(
            namespace,
            "kubernetes",
            "k8s",
            mode,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(2),
            SyncWindows.none(),
            policy);
    return new TargetReconciler(
            settings, target, new LocalFolderSource(repo), new RunListener() {}, Clock.systemUTC())
        .reconcile(Trigger.cli());
  }

  private static ObjectReport object(DriftReport report, String kind, String name) {
    return report.objects().stream()
        .filter(o -> o.kind().startsWith(kind) && o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + report));
  }

  private static List<String> paths(ObjectReport object) {
    return object.diffs().stream().map(FieldDiff::path).toList();
  }

  @Test
  void objectsMadeByKubectlApplyAndCreateAreConflictsThenAdoptedExactlyAsGitSays()
      throws Exception {
    deployByHand();

    DriftReport detected = reconcile(Mode.DETECT, new PlanPolicy(false, List.of()));
    ObjectReport web = object(detected, "Deployment", "web");
    assertThat(web.change()).isEqualTo(ChangeType.CONFLICT);
    assertThat(paths(web))
        .contains(
            "metadata.labels.legacy", "spec.template.spec.containers[name=web].env[name=OLD_FLAG]");
    assertThat(web.owner()).contains("kubectl-client-side-apply");
    assertThat(web.hint()).contains("adopt");
    ObjectReport app = object(detected, "ConfigMap", "app");
    assertThat(app.change()).isEqualTo(ChangeType.CONFLICT);
    assertThat(app.diffs())
        .extracting(d -> d.path() + " " + d.desired() + " " + d.live())
        .contains("data.LOG_LEVEL info debug", "data.EXTRA null 1");
    assertThat(app.owner()).contains("kubectl-create");
    ObjectReport shared = object(detected, "ConfigMap", "shared");
    assertThat(shared.change()).isEqualTo(ChangeType.CONFLICT);
    assertThat(shared.owner()).contains("Tidemark target another-target");

    PlanPolicy adopt = new PlanPolicy(true, List.of());
    DriftReport adopted = reconcile(Mode.APPLY, adopt);
    assertThat(object(adopted, "Deployment", "web").change()).isEqualTo(ChangeType.ADOPT);
    assertThat(object(adopted, "Deployment", "web").diffs()).isNotEmpty();
    assertThat(object(adopted, "ConfigMap", "app").change()).isEqualTo(ChangeType.ADOPT);
    assertThat(object(adopted, "ConfigMap", "shared").change()).isEqualTo(ChangeType.CONFLICT);
    assertThat(adopted.objects())
        .filteredOn(o -> o.change() == ChangeType.ADOPT)
        .allSatisfy(o -> assertThat(o.outcome()).hasToString("CONFIGURED"));

    // Exactly as Git says: the keys Git does not have are gone, the last-applied annotation too.
    assertThat(get("deployment/web", "{.metadata.labels}")).doesNotContain("legacy");
    assertThat(get("deployment/web", "{.metadata.labels.io\\.tidemark/target}"))
        .isEqualTo(namespace);
    assertThat(get("deployment/web", "{.spec.template.spec.containers[0].env}"))
        .contains("LOG_LEVEL")
        .doesNotContain("OLD_FLAG");
    assertThat(get("deployment/web", "{.metadata.annotations}")).doesNotContain(LAST_APPLIED);
    assertThat(get("configmap/app", "{.data}")).isEqualTo("{\"LOG_LEVEL\":\"info\"}");
    assertThat(get("configmap/shared", "{.data.owner}")).isEqualTo("another");

    DriftReport next = reconcile(Mode.DETECT, adopt);
    assertThat(next.drifted())
        .extracting(o -> o.change() + " " + o.name())
        .containsExactly("CONFLICT shared");
  }

  @Test
  void anIgnoredReplicaCountAndEnvEntryAreNeitherDriftNorWritten() throws Exception {
    PlanPolicy ignore =
        new PlanPolicy(
            false,
            List.of(
                IgnoreRule.of(
                    "ignore[0]",
                    "Deployment",
                    "w*",
                    "spec.replicas,spec.template.spec.containers[name=web].env[name=FEATURE]")));
    Files.writeString(repo.resolve("k8s/app.yaml"), git("nginx:1.27").split("\n---\n")[0] + "\n");
    reconcile(Mode.APPLY, ignore);
    kubectl("-n", namespace, "scale", "deployment/web", "--replicas=5");
    kubectl("-n", namespace, "set", "env", "deployment/web", "FEATURE=on");

    DriftReport detected = reconcile(Mode.DETECT, ignore);
    ObjectReport web = object(detected, "Deployment", "web");
    assertThat(web.change()).isEqualTo(ChangeType.IN_SYNC);
    assertThat(web.ignored())
        .containsExactly(
            "spec.replicas (ignore[0], differs live)",
            "spec.template.spec.containers[name=web].env[name=FEATURE] (ignore[0], differs live)");
    long applies = target.requests().of(ApiVerb.APPLY);
    reconcile(Mode.APPLY, ignore);
    assertThat(target.requests().of(ApiVerb.APPLY)).isEqualTo(applies);
    assertThat(get("deployment/web", "{.spec.replicas}")).isEqualTo("5");

    // Git changes the image: the Deployment is written, the ignored fields stay as they are.
    Files.writeString(repo.resolve("k8s/app.yaml"), git("nginx:1.28").split("\n---\n")[0] + "\n");
    DriftReport changed = reconcile(Mode.APPLY, ignore);
    assertThat(object(changed, "Deployment", "web").change()).isEqualTo(ChangeType.UPDATE);
    assertThat(get("deployment/web", "{.spec.template.spec.containers[0].image}"))
        .isEqualTo("nginx:1.28");
    assertThat(get("deployment/web", "{.spec.replicas}")).isEqualTo("5");
    assertThat(get("deployment/web", "{.spec.template.spec.containers[0].env}"))
        .contains("FEATURE", "LOG_LEVEL");
    assertThat(reconcile(Mode.DETECT, ignore).drifted()).isEmpty();
  }

  private String get(String object, String jsonPath) throws Exception {
    return kubectl("-n", namespace, "get", object, "-o", "jsonpath=" + jsonPath);
  }
}
