package io.tidemark.cluster.kubernetes.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marcnuri.helm.Helm;
import io.tidemark.cluster.kubernetes.KubernetesManifestLoader;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HelmReleases whose chart comes from a chart repository or an OCI registry, both served on
 * loopback with credentials: rendered like local charts, fetched once and then served from the
 * cache by digest, and every way a fetch fails rejects the revision with the release's file:line.
 */
class RemoteChartsTest {

  static final Path CHART = Path.of("src/test/resources/fixtures/helm/remote/mysql");
  static final String PASSWORD = "s3cret-Pa55-word";
  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee1234", "a", "m", null);
  private static final SourceLocation RELEASE = new SourceLocation("apps/db.yaml", 6);
  private static final ObjectKey STATEFUL_SET = new ObjectKey("StatefulSet.apps", "data", "db");

  static byte[] archive;

  @TempDir Path repo;
  @TempDir Path data;
  private ChartRepositoryServer charts;
  private OciRegistryServer registry;

  @BeforeAll
  static void pack(@TempDir Path out) throws Exception {
    archive = pack(CHART, out);
  }

  /** The chart packed by Helm itself, as {@code helm package} writes it. */
  static byte[] pack(Path chart, Path out) throws Exception {
    new Helm(chart).packageIt().withDestination(out).call();
    return Files.readAllBytes(out.resolve("mysql-11.1.2.tgz"));
  }

  @BeforeEach
  void servers() throws Exception {
    charts = new ChartRepositoryServer(PASSWORD);
    charts.publish("mysql", "11.1.2", archive, ChartCache.sha256(archive).substring(7));
    registry = new OciRegistryServer(PASSWORD);
    registry.push("charts/mysql", "11.1.2", archive);
  }

  @AfterEach
  void stop() {
    charts.close();
    registry.close();
  }

  @Test
  void rendersAChartFromAnHttpRepositoryBehindBasicAuth() throws Exception {
    release(charts.url(), "mysql", "\"11.1.2\"");

    DesiredState state =
        loader(source(credentials(charts.url(), PASSWORD))).load(repo, "apps", REVISION);

    assertRendered(state);
    assertThat(data.resolve("helm/charts/" + ChartCache.sha256(archive).replace(':', '-') + ".tgz"))
        .exists();
  }

  @Test
  void rendersAChartFromAnOciRegistryWithABearerTokenFromItsTokenService() throws Exception {
    release(registry.url("charts"), "mysql", "11.1.2");

    DesiredState state =
        loader(source(credentials(registry.prefix(), PASSWORD))).load(repo, "apps", REVISION);

    assertRendered(state);
  }

  @Test
  void aChartFetchedOnceIsServedFromTheCacheEvenAfterARestart() throws Exception {
    release(charts.url(), "mysql", "11.1.2");
    ChartSource first = source(credentials(charts.url(), PASSWORD));
    loader(first).load(repo, "apps", REVISION);
    int requests = charts.requests();

    loader(first).load(repo, "apps", REVISION);
    ChartSource restarted = source(credentials(charts.url(), PASSWORD));
    DesiredState again = loader(restarted).load(repo, "apps", REVISION);

    assertThat(requests).isEqualTo(2); // index.yaml, then the archive
    assertThat(charts.requests()).isEqualTo(requests);
    assertThat(first.lookups()).isEqualTo(1);
    assertThat(restarted.lookups()).isZero();
    assertRendered(again);
  }

  @Test
  void anOciChartFetchedOnceIsNotAskedForAgain() throws Exception {
    release(registry.url("charts"), "mysql", "11.1.2");
    ChartSource source = source(credentials(registry.prefix(), PASSWORD));
    loader(source).load(repo, "apps", REVISION);
    int requests = registry.requests();

    loader(source).load(repo, "apps", REVISION);

    assertThat(registry.requests()).isEqualTo(requests);
  }

  @Test
  void rejectsAChartTheRepositoryDoesNotHave() throws Exception {
    release(charts.url(), "postgresql", "11.1.2");

    assertThat(rejection(source(credentials(charts.url(), PASSWORD))))
        .isEqualTo(
            "HelmRelease db: chart postgresql not found in chart repository " + charts.url());
  }

  @Test
  void rejectsAVersionTheRepositoryDoesNotHaveAndSaysWhichItHas() throws Exception {
    release(charts.url(), "mysql", "11.1.3");

    assertThat(rejection(source(credentials(charts.url(), PASSWORD))))
        .isEqualTo(
            "HelmRelease db: version 11.1.3 of chart mysql not found in chart repository "
                + charts.url()
                + " (it has 11.1.2)");
  }

  @Test
  void rejectsAVersionRangeWithoutAskingTheRepository() throws Exception {
    release(charts.url(), "mysql", "\"^11.1.0\"");

    assertThat(rejection(source(credentials(charts.url(), PASSWORD))))
        .isEqualTo(
            "HelmRelease db: spec.version \"^11.1.0\" is not an exact version (ranges,"
                + " wildcards and tags are refused); pin one (as 1.2.3)");
    assertThat(charts.requests()).isZero();
  }

  @Test
  void rejectsAReleaseWithoutVersion() throws Exception {
    release(registry.url("charts"), "mysql", null);

    assertThat(rejection(source(credentials(registry.prefix(), PASSWORD))))
        .isEqualTo(
            "HelmRelease db: spec.version missing: a chart from a repository needs an exact"
                + " version (as 1.2.3)");
  }

  @Test
  void rejectsARepositoryThatRefusesConnections() throws Exception {
    String url;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      url = "http://127.0.0.1:" + closed.getLocalPort() + "/charts";
    }
    release(url, "mysql", "11.1.2");

    assertThat(rejection(source()))
        .isEqualTo(
            "HelmRelease db: chart repository " + url + " does not answer: connection refused");
  }

  @Test
  void rejectsARepositoryThatDoesNotAnswerWithinTheTimeout() throws Exception {
    // Connections queue in the backlog and are never accepted: nothing ever answers.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/charts";
      release(url, "mysql", "11.1.2");
      ChartSource source =
          ChartSource.cachedIn(
              data.resolve("helm/charts"), ChartCredentials.none(), Duration.ofMillis(800));

      assertThat(rejection(source))
          .isEqualTo("HelmRelease db: chart repository " + url + " did not answer within 800ms");
    }
  }

  @Test
  void rejectsAnArchiveWhoseDigestIsNotTheOneTheIndexStates() throws Exception {
    String other = "0".repeat(64);
    charts.close();
    charts = new ChartRepositoryServer(PASSWORD);
    charts.publish("mysql", "11.1.2", archive, other);
    release(charts.url(), "mysql", "11.1.2");

    assertThat(rejection(source(credentials(charts.url(), PASSWORD))))
        .isEqualTo(
            "HelmRelease db: digest mismatch for "
                + charts.url()
                + " mysql 11.1.2: the repository states sha256:"
                + other
                + ", the archive it sent has "
                + ChartCache.sha256(archive));
    Path cache = data.resolve("helm/charts");
    if (Files.isDirectory(cache)) {
      try (var files = Files.list(cache)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tgz"));
      }
    }
  }

  @Test
  void rejectsAnOciLayerWhoseDigestIsNotTheOneTheManifestStates() throws Exception {
    String stated = "sha256:" + "1".repeat(64);
    registry.pushStating("charts/mysql", "11.1.2", archive, stated);
    release(registry.url("charts"), "mysql", "11.1.2");

    assertThat(rejection(source(credentials(registry.prefix(), PASSWORD))))
        .isEqualTo(
            "HelmRelease db: digest mismatch for "
                + registry.url("charts")
                + "/mysql:11.1.2: the repository states "
                + stated
                + ", the archive it sent has "
                + ChartCache.sha256(archive));
  }

  @Test
  void rejectsWrongCredentialsWithoutShowingThem() throws Exception {
    release(charts.url(), "mysql", "11.1.2");

    String message = rejection(source(credentials(charts.url(), "wrong-Pa55")));

    assertThat(message)
        .isEqualTo(
            "HelmRelease db: chart repository "
                + charts.url()
                + " (index.yaml) refused the credentials of tidemark.helm.repositories for "
                + charts.url()
                + " (401)");
    assertThat(message).doesNotContain("wrong-Pa55").doesNotContain(ChartRepositoryServer.USER);
  }

  @Test
  void rejectsWrongCredentialsAtTheRegistrysTokenService() throws Exception {
    release(registry.url("charts"), "mysql", "11.1.2");

    String message = rejection(source(credentials(registry.prefix(), "wrong-Pa55")));

    assertThat(message)
        .startsWith("HelmRelease db: token service http://127.0.0.1:")
        .contains("/token of registry " + registry.url("charts"))
        .endsWith(
            " refused the credentials of tidemark.helm.repositories for "
                + registry.prefix()
                + " (401)")
        .doesNotContain("wrong-Pa55");
  }

  @Test
  void saysWhenARepositoryAsksForCredentialsThatAreNotConfigured() throws Exception {
    release(charts.url(), "mysql", "11.1.2");

    assertThat(rejection(source()))
        .isEqualTo(
            "HelmRelease db: chart repository "
                + charts.url()
                + " (index.yaml) asks for credentials (401); none are configured for it in"
                + " tidemark.helm.repositories");
  }

  @Test
  void rejectsAnOciChartOrVersionTheRegistryDoesNotHave() throws Exception {
    ChartSource source = source(credentials(registry.prefix(), PASSWORD));
    release(registry.url("charts"), "redis", "11.1.2");
    String chart = rejection(source);
    release(registry.url("charts"), "mysql", "11.1.3");
    String version = rejection(source);

    assertThat(chart)
        .isEqualTo("HelmRelease db: chart redis not found in registry " + registry.url("charts"));
    assertThat(version)
        .isEqualTo(
            "HelmRelease db: version 11.1.3 of chart mysql not found in registry "
                + registry.url("charts"));
  }

  private static void assertRendered(DesiredState state) {
    assertThat(state.objects())
        .containsOnlyKeys(
            new ObjectKey("ConfigMap", "apps-default", "plain"),
            STATEFUL_SET,
            new ObjectKey("Service", "data", "db"),
            new ObjectKey(
                "CustomResourceDefinition.apiextensions.k8s.io", "", "backups.mysql.example.org"));
    assertThat(Trees.at(state.objects().get(STATEFUL_SET).spec(), "spec", "replicas")).isEqualTo(2);
    assertThat(state.objects().get(STATEFUL_SET).source()).isEqualTo(RELEASE);
    assertThat(
            state.objects().values().stream()
                .filter(o -> o.key().name().startsWith("backups."))
                .findFirst()
                .orElseThrow()
                .source())
        .isEqualTo(RELEASE);
  }

  /** The one error of the rejected revision, checked to sit at the release's file:line. */
  private String rejection(ChartSource source) {
    InvalidRevisionException rejected =
        catchThrowableOfType(
            InvalidRevisionException.class, () -> loader(source).load(repo, "apps", REVISION));
    assertThat(rejected).as("the revision is rejected").isNotNull();
    assertThat(rejected.errors()).hasSize(1);
    RenderError error = rejected.errors().get(0);
    assertThat(error.location()).isEqualTo(RELEASE);
    return error.message();
  }

  /** Writes {@code apps/db.yaml}: a plain ConfigMap, then the release at line 6. */
  private void release(String repository, String chart, String version) throws Exception {
    Files.createDirectories(repo.resolve("apps"));
    Files.writeString(
        repo.resolve("apps/db.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n---\n"
            + "apiVersion: tidemark.io/v1\n"
            + "kind: HelmRelease\n"
            + "metadata:\n  name: db\n  namespace: data\n"
            + "spec:\n"
            + "  repository: "
            + repository
            + "\n  chart: "
            + chart
            + "\n"
            + (version == null ? "" : "  version: " + version + "\n")
            + "  values:\n    replicaCount: 2\n");
  }

  private KubernetesManifestLoader loader(ChartSource source) {
    return new KubernetesManifestLoader(
        "shop", "apps-default", f -> "", SopsDecryptor.withoutKeys(), new HelmRenderer(), source);
  }

  private ChartSource source(RepositoryCredentials... credentials) {
    return ChartSource.cachedIn(
        data.resolve("helm/charts"),
        new ChartCredentials(List.of(credentials)),
        Duration.ofSeconds(5));
  }

  /** Credentials for the test servers' user; OCI on loopback speaks plain HTTP. */
  static RepositoryCredentials credentials(String prefix, String password) {
    String user = prefix.startsWith("oci://") ? OciRegistryServer.USER : ChartRepositoryServer.USER;
    return new RepositoryCredentials(
        prefix, Optional.of(user), Optional.of(password), prefix.startsWith("oci://"));
  }
}
