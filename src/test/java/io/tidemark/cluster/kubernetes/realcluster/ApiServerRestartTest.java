package io.tidemark.cluster.kubernetes.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.tidemark.cluster.kubernetes.ApiVerb;
import io.tidemark.cluster.kubernetes.DryRunResult;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubeApi;
import io.tidemark.cluster.kubernetes.KubeApiException;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.cluster.kubernetes.RetryPolicy;
import io.tidemark.cluster.kubernetes.RetryingKubeApi;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kube-apiserver killed and started again in the middle of an apply: the apply ends (no crash, no
 * hang) with failed entries for what it could not write, and the next run converges, after which a
 * plan finds 0 changes and an apply writes nothing. Opt-in: runs only when {@code
 * TIDEMARK_IT_APISERVER} names a kube-apiserver binary, which the test starts on its own port
 * ({@code TIDEMARK_IT_APISERVER_PORT}, default 6445) with its own {@code --etcd-prefix} against the
 * etcd at {@code TIDEMARK_IT_ETCD} (default {@code http://127.0.0.1:2379}), using the certificates
 * in {@code TIDEMARK_IT_APISERVER_PKI}: {@code ca.crt} (the client CA), {@code apiserver.crt/key}
 * (serving, valid for 127.0.0.1), {@code sa.key/pub} and {@code admin.crt/key} (a client in group
 * {@code system:masters}). Never a shared API server: this test kills the one it started.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ApiServerRestartTest {

  private static final String BINARY = System.getenv("TIDEMARK_IT_APISERVER");
  private static final Path PKI =
      Path.of(Optional.ofNullable(System.getenv("TIDEMARK_IT_APISERVER_PKI")).orElse("."));
  private static final int PORT =
      Integer.parseInt(
          Optional.ofNullable(System.getenv("TIDEMARK_IT_APISERVER_PORT")).orElse("6445"));
  private static final String ETCD =
      Optional.ofNullable(System.getenv("TIDEMARK_IT_ETCD")).orElse("http://127.0.0.1:2379");
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(ApiServerRestartTest.class);
  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "it", "m", null);
  private static final int CONFIG_MAPS = 60;
  private static final int KILLED_AT_APPLY = 12;
  private static final int RESTARTED_AT_APPLY = 30;

  @TempDir Path repo;
  @TempDir Path logs;
  private Process server;
  private String namespace;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(BINARY != null && !BINARY.isBlank(), "TIDEMARK_IT_APISERVER not set");
    namespace = "tm-restart-" + UUID.randomUUID().toString().substring(0, 8);
    server = launch();
    awaitReady(api());
    StringBuilder many =
        new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + namespace + "}\n");
    for (int i = 0; i < CONFIG_MAPS; i++) {
      many.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-")
          .append(i)
          .append(", namespace: ")
          .append(namespace)
          .append("}\ndata: {index: \"")
          .append(i)
          .append("\"}\n");
    }
    Files.writeString(repo.resolve("many.yaml"), many.toString());
  }

  @AfterEach
  void stop() throws Exception {
    if (server == null) {
      return;
    }
    if (server.isAlive()) {
      KubeApi api = api();
      for (int i = 0; i < CONFIG_MAPS; i++) {
        api.delete("v1", "ConfigMap", namespace, "settings-" + i);
      }
      api.delete("v1", "ConfigMap", namespace, "tidemark-inventory-" + namespace);
    }
    server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Test
  void aRestartMidApplyLeavesFailedEntriesAndTheNextRunConvergesWithNothingLeftToWrite()
      throws Exception {
    AtomicInteger applies = new AtomicInteger();
    KubeApi restarting =
        new RestartingKubeApi(
            api(),
            () -> {
              int apply = applies.incrementAndGet();
              if (apply == KILLED_AT_APPLY) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
              } else if (apply == RESTARTED_AT_APPLY) {
                // Down for the applies in between, whatever the machine's speed; a server started
                // on a warm etcd prefix may answer within a second, before it reports ready.
                server = launch();
              }
            });
    KubernetesTarget cut = target(restarting);

    ApplyResult interrupted = cut.apply(plan(cut), REVISION, true);

    assertThat(interrupted.results()).hasSize(CONFIG_MAPS + 1);
    assertThat(interrupted.failures()).isGreaterThanOrEqualTo(RESTARTED_AT_APPLY - KILLED_AT_APPLY);
    assertThat(interrupted.results())
        .filteredOn(ObjectResult::failed)
        .allSatisfy(r -> assertThat(r.message()).isNotBlank());
    LOG.infof(
        "apply cut by a kill at apply %d and a restart at apply %d: %d written, %d failed, e.g. %s",
        KILLED_AT_APPLY,
        RESTARTED_AT_APPLY,
        interrupted.results().size() - interrupted.failures(),
        interrupted.failures(),
        interrupted.results().stream().filter(ObjectResult::failed).findFirst().orElseThrow());
    awaitReady(api());

    KubernetesTarget next = target(api());
    ApplyResult converged = next.apply(plan(next), REVISION, true);

    assertThat(converged.results()).noneMatch(ObjectResult::failed);
    Plan after = plan(next);
    assertThat(after.writes()).isEmpty();
    next.apply(after, REVISION, true);
    assertThat(next.requests().of(ApiVerb.APPLY)).isZero();
  }

  private Process launch() throws IOException {
    List<String> command =
        List.of(
            BINARY,
            "--etcd-servers=" + ETCD,
            "--etcd-prefix=/tidemark-it-restart",
            "--secure-port=" + PORT,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            "--service-cluster-ip-range=10.96.0.0/16",
            "--tls-cert-file=" + PKI.resolve("apiserver.crt"),
            "--tls-private-key-file=" + PKI.resolve("apiserver.key"),
            "--client-ca-file=" + PKI.resolve("ca.crt"),
            "--service-account-key-file=" + PKI.resolve("sa.pub"),
            "--service-account-signing-key-file=" + PKI.resolve("sa.key"),
            "--service-account-issuer=https://kubernetes.default.svc",
            "--api-audiences=https://kubernetes.default.svc",
            "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,ResourceQuota",
            "--endpoint-reconciler-type=none",
            "--v=1");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(logs.resolve("kube-apiserver.log").toFile()))
        .start();
  }

  private static void awaitReady(KubeApi api) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> api.get("v1", "Namespace", "", "default").isPresent());
  }

  /** Tidemark's client as the service builds it: fabric8 without its own retries, our policy. */
  private static KubeApi api() {
    Config config =
        new ConfigBuilder()
            .withMasterUrl("https://127.0.0.1:" + PORT)
            .withCaCertFile(PKI.resolve("ca.crt").toString())
            .withClientCertFile(PKI.resolve("admin.crt").toString())
            .withClientKeyFile(PKI.resolve("admin.key").toString())
            .build();
    return new RetryingKubeApi(Fabric8KubeApi.of(config), RetryPolicy.standard());
  }

  private KubernetesTarget target(KubeApi api) {
    return new KubernetesTarget(namespace, namespace, api, folder -> "", Duration.ofMillis(500));
  }

  private Plan plan(KubernetesTarget target) throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  /** A {@link KubeApi} that runs a hook before each apply: here, the restart of the server. */
  private static final class RestartingKubeApi implements KubeApi {
    private final KubeApi delegate;
    private final Hook beforeApply;

    RestartingKubeApi(KubeApi delegate, Hook beforeApply) {
      this.delegate = delegate;
      this.beforeApply = beforeApply;
    }

    @FunctionalInterface
    interface Hook {
      void run() throws Exception;
    }

    @Override
    public Map<String, Object> apply(Map<String, ?> object, boolean force) throws KubeApiException {
      try {
        beforeApply.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return delegate.apply(object, force);
    }

    @Override
    public DryRunResult dryRunApply(Map<String, ?> object) throws KubeApiException {
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
    public Map<String, Object> jsonPatch(
        String apiVersion, String kind, String namespace, String name, List<Map<String, ?>> ops)
        throws KubeApiException {
      return delegate.jsonPatch(apiVersion, kind, namespace, name, ops);
    }

    @Override
    public boolean delete(String apiVersion, String kind, String namespace, String name)
        throws KubeApiException {
      return delegate.delete(apiVersion, kind, namespace, name);
    }
  }
}
