package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code tidemark render} prints what a folder renders to, for review in CI, with no cluster. */
class CliRenderTest {

  private static final String HELM = "src/test/resources/fixtures/helm/repo";

  private static CliRuns.Run render(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "render";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRuns.run(all);
  }

  @Test
  void printsTheObjectsAHelmReleaseRendersToWithTheirSource() {
    CliRuns.Run run = render("--repo", HELM, "--path", "apps", "--kind", "kubernetes");

    assertThat(run.code()).as(run.err()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("# Source: apps/release.yaml:1\napiVersion: apps/v1\nkind: Deployment")
        .contains("replicas: 3")
        .contains("greeting: from-values-file")
        .contains("# Source: apps/charts/web/crds/widgets.yaml:1")
        .contains("io.tidemark/target: cli")
        .doesNotContain("HelmRelease");
  }

  @Test
  void printsSecretsAndDecryptedValuesMasked() {
    CliRuns.Run run =
        render(
            "--repo",
            HELM,
            "--path",
            "hooks",
            "--kind",
            "kubernetes",
            "--sops-age-key-file",
            "src/test/resources/fixtures/sops/age-key.txt");

    assertThat(run.code()).as(run.err()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("kind: Secret")
        .containsPattern("password: <secret sha256:[0-9a-f]{12}>")
        .doesNotContain("password: value");
  }

  @Test
  void printsEveryErrorWithFileAndLineWhenTheFolderDoesNotRender() {
    CliRuns.Run run = render("--repo", HELM, "--path", "broken", "--kind", "kubernetes");

    assertThat(run.code()).isEqualTo(Cli.ERROR);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("broken/release.yaml:5").contains("broken/templates/cm.yaml:6");
  }

  @Test
  void rendersTheSamplesKubernetesFolderWithTheAppServicesFromItsChart() {
    CliRuns.Run run =
        render(
            "--repo",
            "sample-repo",
            "--path",
            "cluster/kubernetes",
            "--kind",
            "kubernetes",
            "--sops-age-key-file",
            "sample-repo/demo-age-key.txt");

    assertThat(run.code()).as(run.err()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("# Source: cluster/kubernetes/20-app/orders.yaml:4")
        .contains("kind: HorizontalPodAutoscaler")
        .contains("name: gateway-routes")
        .doesNotContain("kind: HelmRelease", "change-me");
  }

  @Test
  void rendersASwarmStackFolderToo() {
    CliRuns.Run run =
        render(
            "--repo",
            "sample-repo",
            "--path",
            "cluster/docker-swarm",
            "--kind",
            "swarm",
            "--sops-age-key-file",
            "sample-repo/demo-age-key.txt");

    assertThat(run.code()).as(run.err()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("# Source: cluster/docker-swarm/")
        .contains("Name:")
        .doesNotContain("change-me");
  }
}
