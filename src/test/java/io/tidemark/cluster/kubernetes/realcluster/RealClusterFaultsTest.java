package io.tidemark.cluster.kubernetes.realcluster;

import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.KUBECONFIG;
import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.KUBECTL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemark.cli.Cli;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubeApi;
import io.tidemark.cluster.kubernetes.KubeApiException;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and faults on a real cluster (opt-in like {@link RealClusterTest}: runs only when
 * {@code TIDEMARK_IT_KUBECONFIG} names a kubeconfig): manifests the server refuses (a schema error,
 * a ResourceQuota, a terminating namespace, immutable fields) are failed entries with the server's
 * reason and the manifest's file:line in the CLI's text while the rest applies, and other field
 * managers that write fields Tidemark owns are named.
 */
class RealClusterFaultsTest {

  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "it", "m", null);

  @TempDir Path repo;
  private String namespace;
  private final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  static void aClusterIsNamed() {
    assumeTrue(KUBECONFIG != null && !KUBECONFIG.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
  }

  @BeforeEach
  void namespace() throws Exception {
    namespace = created("tm-faults-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String name : namespaces) {
      if (name.endsWith("-closing")) {
        kubectl(
            "-n",
            name,
            "patch",
            "configmap/hold",
            "--type=merge",
            "-p",
            "{\"metadata\":{\"finalizers\":null}}");
      }
      kubectl("delete", "namespace", name, "--wait=false", "--ignore-not-found");
    }
  }

  @Test
  void aSchemaErrorAQuotaAndATerminatingNamespaceAreFailedEntriesWithFileAndLine()
      throws Exception {
    kubectl("-n", namespace, "create", "quota", "two-services", "--hard=services=1");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !kubectl("-n", namespace, "get", "quota", "-o", "jsonpath={.items[0].status.hard}")
                    .isEmpty());
    String closing = terminating();
    write(
        "apps.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: %1$s}
        data: {LOG_LEVEL: info}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %1$s}
        spec:
          replicas: "two"
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx:1.27}]
        """
            .formatted(namespace));
    write(
        "services.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: %1$s}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %1$s}
        spec: {ports: [{port: 80}]}
        """
            .formatted(namespace));
    write(
        "late.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: "
            + closing
            + "}\ndata: {a: \"1\"}\n");

    Run apply = cli("apply");

    assertThat(apply.code()).as(apply.text()).isEqualTo(Cli.ERROR);
    assertThat(apply.text())
        .contains(
            "=> failed (apps.yaml:6): apply Deployment "
                + namespace
                + "/web: 500: failed to create typed patch object: .spec.replicas: expected"
                + " numeric (int or float), got string")
        .containsPattern(
            "=> failed \\(services.yaml:(1|6)\\): apply Service "
                + namespace
                + "/(api|web): 403 Forbidden: services \"(api|web)\" is forbidden: exceeded quota:"
                + " two-services")
        .contains(
            "=> failed (late.yaml:1): apply ConfigMap "
                + closing
                + "/late: 403 Forbidden: metadata.namespace: namespace "
                + closing
                + " is being terminated")
        .contains("Apply: 2 created, 3 failed")
        .doesNotContain("attempts");
    assertThat(kubectl("-n", namespace, "get", "configmap/settings", "-o", "name"))
        .isEqualTo("configmap/settings");
    assertThat(kubectl("-n", namespace, "get", "services", "-o", "name").lines()).hasSize(1);
  }

  @Test
  void immutableChangesAreFailedEntriesWhileTheOtherChangesOfTheRunApply() throws Exception {
    write("web.yaml", web("web", null));
    // Its Deployment never turns healthy without a kubelet: the apply itself must not fail.
    assertThat(cli("apply").text()).doesNotContain("=> failed");
    String clusterIp =
        kubectl("-n", namespace, "get", "service/web", "-o", "jsonpath={.spec.clusterIP}");
    String other = clusterIp.endsWith(".250") ? "10.96.250.251" : "10.96.250.250";
    write("web.yaml", web("web2", other).replace("LOG_LEVEL: info", "LOG_LEVEL: debug"));

    Run plan = cli("plan");
    Run apply = cli("apply");

    assertThat(plan.code()).as(plan.text()).isEqualTo(Cli.DRIFT);
    assertThat(plan.text())
        .contains("spec.selector: field is immutable")
        .contains("spec.clusterIPs[0]: may not change once set");
    assertThat(apply.code()).as(apply.text()).isEqualTo(Cli.ERROR);
    assertThat(apply.text())
        .contains(
            "=> failed (web.yaml:1): apply Deployment "
                + namespace
                + "/web: 422 Invalid: spec.selector: field is immutable")
        .contains(
            "=> failed (web.yaml:12): apply Service "
                + namespace
                + "/web: 422 Invalid: spec.clusterIPs[0]: may not change once set")
        .contains("Apply: 1 configured, 2 failed");
    assertThat(kubectl("-n", namespace, "get", "configmap/settings", "-o", "jsonpath={.data}"))
        .contains("debug");
  }

  @Test
  void anotherManagersForcedApplyOfAnOwnedFieldIsDriftNamedWithItAndUndone() throws Exception {
    KubernetesTarget target = target();
    write("web.yaml", web("web", null));
    apply(target);
    intruder("--force-conflicts");

    List<FieldDiff> diffs = diffs(plan(target));

    assertThat(diffs)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.path()).isEqualTo("spec.replicas");
              assertThat(d.changedBy()).startsWith("intruder at ");
            });
    assertThat(apply(target).results()).noneMatch(ObjectResult::failed);
    assertThat(replicas()).isEqualTo("2");
    assertThat(plan(target).writes()).isEmpty();
  }

  @Test
  void anotherManagersUnforcedApplyGetsA409NamingTidemarkAndChangesNothing() throws Exception {
    KubernetesTarget target = target();
    write("web.yaml", web("web", null));
    apply(target);

    assertThatThrownBy(() -> intruder()).hasMessageContaining("conflict with \"tidemark\"");
    assertThat(plan(target).writes()).isEmpty();
  }

  @Test
  void aConflictOnAnApplyWithoutForceNamesTheManagerThatOwnsTheField() throws Exception {
    KubernetesTarget target = target();
    write("web.yaml", web("web", null));
    apply(target);
    intruder("--force-conflicts");
    Map<String, Object> desired =
        target.loader().load(repo, ".", REVISION).list().stream()
            .filter(o -> o.key().kind().equals("Deployment.apps"))
            .findFirst()
            .orElseThrow()
            .spec();

    assertThatThrownBy(() -> api().apply(desired, false))
        .isInstanceOf(KubeApiException.class)
        .hasMessageContaining("409 Conflict: .spec.replicas: conflict with \"intruder\"");
  }

  @Test
  void aTakeoverThatLosesItsRaceTwiceIsAFailedEntryNamingTheManagerThatWrote() throws Exception {
    KubeApi racing =
        new RacingKubeApi(
            api(),
            () ->
                kubectl(
                    "-n",
                    namespace,
                    "annotate",
                    "deployment/web",
                    "--overwrite",
                    "--field-manager=racer",
                    "race=" + System.nanoTime()));
    KubernetesTarget target =
        new KubernetesTarget(namespace, namespace, racing, folder -> "", Duration.ofMillis(500));
    write("web.yaml", web("web", null));
    apply(target);
    kubectl("-n", namespace, "set", "env", "deployment/web", "LOG_LEVEL=debug");

    ApplyResult result = apply(target);

    assertThat(result.results())
        .filteredOn(ObjectResult::failed)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.message())
                    .startsWith(
                        "taking over fields failed: the object kept changing under it, last"
                            + " written by racer at "));
  }

  /** A namespace held in Terminating by a finalizer on one of its ConfigMaps. */
  private String terminating() throws Exception {
    String name = created(namespace + "-closing");
    Path hold = repo.resolveSibling(name + "-hold.yaml");
    Files.writeString(
        hold,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hold, namespace: "
            + name
            + ", finalizers: [tidemark.io/test-hold]}\n");
    kubectl("apply", "-f", hold.toString());
    kubectl("delete", "namespace", name, "--wait=false");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                kubectl("get", "namespace", name, "-o", "jsonpath={.status.phase}")
                    .equals("Terminating"));
    return name;
  }

  private String created(String name) throws Exception {
    kubectl("create", "namespace", name);
    namespaces.add(name);
    return name;
  }

  /** Manager {@code intruder} applies {@code spec.replicas: 5} to the Deployment. */
  private void intruder(String... flags) throws Exception {
    Path patch = repo.resolveSibling(namespace + "-intruder.yaml");
    Files.writeString(
        patch,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: "
            + namespace
            + "}\nspec: {replicas: 5}\n");
    List<String> args =
        new ArrayList<>(
            List.of("apply", "--server-side", "--field-manager=intruder", "-f", patch.toString()));
    args.addAll(List.of(flags));
    kubectl(args.toArray(String[]::new));
  }

  private String replicas() throws Exception {
    return kubectl("-n", namespace, "get", "deployment/web", "-o", "jsonpath={.spec.replicas}");
  }

  private String web(String app, String clusterIp) {
    String ip = clusterIp == null ? "" : "\n  clusterIP: " + clusterIp;
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: %1$s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %2$s}}
          template:
            metadata: {labels: {app: %2$s}}
            spec:
              containers: [{name: web, image: nginx:1.27}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: %1$s}
        spec:%3$s
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: %1$s}
        data: {LOG_LEVEL: info}
        """
        .formatted(namespace, app, ip.isEmpty() ? "" : ip);
  }

  private record Run(int code, String text) {}

  /** The command line a user runs, against the cluster, with its text report. */
  private Run cli(String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        new Cli(Map.of(), false)
            .run(
                new String[] {
                  command,
                  "--repo",
                  repo.toString(),
                  "--kind",
                  "kubernetes",
                  "--kubeconfig",
                  KUBECONFIG,
                  "--name",
                  namespace,
                  "--namespace",
                  namespace,
                  "--health-timeout",
                  "1s",
                  "--no-color"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8));
  }

  private KubeApi api() {
    return Fabric8KubeApi.connect(Optional.of(KUBECONFIG), Optional.empty());
  }

  private KubernetesTarget target() {
    return new KubernetesTarget(namespace, namespace, api(), folder -> "", Duration.ofMillis(500));
  }

  private ApplyResult apply(KubernetesTarget target) throws Exception {
    return target.apply(plan(target), REVISION, true);
  }

  private Plan plan(KubernetesTarget target) throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  private static List<FieldDiff> diffs(Plan plan) {
    List<FieldDiff> out = new ArrayList<>();
    for (Change change : plan.writes()) {
      out.addAll(change.diffs());
    }
    return out;
  }

  private void write(String file, String text) throws Exception {
    Files.writeString(repo.resolve(file), text);
  }

  /** A {@link KubeApi} that lets another writer change the object just before each JSON patch. */
  private static final class RacingKubeApi implements KubeApi {
    private final KubeApi delegate;
    private final Write racer;

    RacingKubeApi(KubeApi delegate, Write racer) {
      this.delegate = delegate;
      this.racer = racer;
    }

    @FunctionalInterface
    interface Write {
      Object run() throws Exception;
    }

    @Override
    public Map<String, Object> jsonPatch(
        String apiVersion, String kind, String namespace, String name, List<Map<String, ?>> ops)
        throws KubeApiException {
      try {
        racer.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return delegate.jsonPatch(apiVersion, kind, namespace, name, ops);
    }

    @Override
    public Map<String, Object> apply(Map<String, ?> object, boolean force) throws KubeApiException {
      return delegate.apply(object, force);
    }

    @Override
    public io.tidemark.cluster.kubernetes.DryRunResult dryRunApply(Map<String, ?> object)
        throws KubeApiException {
      return delegate.dryRunApply(object);
    }

    @Override
    public Optional<String> preferredVersion(String group) throws KubeApiException {
      return delegate.preferredVersion(group);
    }

    @Override
    public List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector)
        throws KubeApiException {
      return delegate.list(apiVersion, kind, labelSelector);
    }

    @Override
    public Optional<Map<String, Object>> get(
        String apiVersion, String kind, String namespace, String name) throws KubeApiException {
      return delegate.get(apiVersion, kind, namespace, name);
    }

    @Override
    public boolean delete(String apiVersion, String kind, String namespace, String name)
        throws KubeApiException {
      return delegate.delete(apiVersion, kind, namespace, name);
    }
  }

  static String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(KUBECTL, "--kubeconfig", KUBECONFIG));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + out);
    }
    return out.trim();
  }
}
