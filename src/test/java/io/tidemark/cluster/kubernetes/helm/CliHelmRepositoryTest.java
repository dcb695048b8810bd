package io.tidemark.cluster.kubernetes.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cli.Cli;
import io.tidemark.cli.CliRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code --helm-repository}: a CI pipeline renders a release whose chart sits in a
 * private chart repository (on loopback, Basic auth), its password read from a file and never
 * printed.
 */
class CliHelmRepositoryTest {

  private static byte[] archive;

  @TempDir Path repo;
  @TempDir Path data;
  private ChartRepositoryServer charts;
  private Path passwordFile;

  @BeforeAll
  static void pack(@TempDir Path out) throws Exception {
    archive = RemoteChartsTest.pack(RemoteChartsTest.CHART, out);
  }

  @BeforeEach
  void setUp() throws Exception {
    charts = new ChartRepositoryServer(RemoteChartsTest.PASSWORD);
    charts.publish("mysql", "11.1.2", archive, ChartCache.sha256(archive).substring(7));
    Files.createDirectories(repo.resolve("apps"));
    Files.writeString(
        repo.resolve("apps/db.yaml"),
        """
        apiVersion: tidemark.io/v1
        kind: HelmRelease
        metadata: {name: db, namespace: data}
        spec:
          repository: %s
          chart: mysql
          version: 11.1.2
        """
            .formatted(charts.url()));
    passwordFile = data.resolve("chart-password");
    Files.writeString(passwordFile, RemoteChartsTest.PASSWORD + "\n");
  }

  @AfterEach
  void tearDown() {
    charts.close();
  }

  private CliRuns.Run render(String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "render",
                "--repo",
                repo.toString(),
                "--path",
                "apps",
                "--kind",
                "kubernetes",
                "--data-dir",
                data.toString()));
    args.addAll(List.of(options));
    return CliRuns.run(args.toArray(String[]::new));
  }

  @Test
  void rendersAChartFromAPrivateRepositoryWithThePasswordFromAFile() {
    CliRuns.Run run =
        render(
            "--helm-repository",
            charts.url()
                + ",username="
                + ChartRepositoryServer.USER
                + ",password-file="
                + passwordFile);

    assertThat(run.code()).as(run.err()).isEqualTo(Cli.OK);
    assertThat(run.out()).contains("kind: StatefulSet").contains("replicas: ");
    assertThat(run.out() + run.err()).doesNotContain(RemoteChartsTest.PASSWORD);
  }

  @Test
  void withoutCredentialsThePrivateRepositoryRefusesAndTheReleaseIsNamedWithItsLine() {
    CliRuns.Run run = render();

    assertThat(run.code()).isEqualTo(Cli.ERROR);
    assertThat(run.err()).contains("apps/db.yaml:1").contains("HelmRelease db");
  }

  @Test
  void aMalformedRepositoryOptionIsAUsageError() {
    CliRuns.Run run =
        render("--helm-repository", charts.url() + ",password=" + RemoteChartsTest.PASSWORD);

    assertThat(run.code()).isEqualTo(Cli.ERROR);
    assertThat(run.err())
        .contains("unknown setting 'password'")
        .doesNotContain(RemoteChartsTest.PASSWORD);
  }
}
