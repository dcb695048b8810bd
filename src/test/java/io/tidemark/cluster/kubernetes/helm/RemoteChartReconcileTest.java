package io.tidemark.cluster.kubernetes.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.kubernetes.ControllerManagers;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.cluster.kubernetes.RecordingKubeApi;
import io.tidemark.desired.sops.SopsDecryptor;
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
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole reconcile of a Kubernetes target whose release takes its chart from a registry: a commit
 * that pins a version the registry does not have is rejected whole with the release's file:line,
 * and the last good revision, rendered from the cached chart, stays what the target reconciles.
 */
class RemoteChartReconcileTest {

  @TempDir Path repo;
  @TempDir Path data;
  @TempDir Path packed;

  @Test
  void aVersionTheRegistryDoesNotHaveIsRejectedAndTheLastGoodRevisionStaysLive() throws Exception {
    try (OciRegistryServer registry = new OciRegistryServer(RemoteChartsTest.PASSWORD);
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      registry.push(
          "charts/mysql", "11.1.2", RemoteChartsTest.pack(RemoteChartsTest.CHART, packed));
      ChartSource charts =
          ChartSource.cachedIn(
              data.resolve("helm/charts"),
              new ChartCredentials(
                  List.of(
                      RemoteChartsTest.credentials(registry.prefix(), RemoteChartsTest.PASSWORD))),
              Duration.ofSeconds(5));
      TargetReconciler reconciler = reconciler(charts);
      String good = commit(git, release(registry.url("charts"), "11.1.2"));
      DriftReport first = reconciler.reconcile(Trigger.api());

      commit(git, release(registry.url("charts"), "11.1.3"));
      DriftReport second = reconciler.reconcile(Trigger.api());

      assertThat(first.errors()).isEmpty();
      assertThat(first.revision().commit()).isEqualTo(good);
      assertThat(names(first)).contains("StatefulSet.apps/data/db", "Service/data/db");
      assertThat(second.errors())
          .containsExactly(
              "apps/db.yaml:1: HelmRelease db: version 11.1.3 of chart mysql not found in registry "
                  + registry.url("charts"));
      assertThat(second.note()).contains("is invalid and was rejected whole");
      assertThat(second.revision().commit()).isEqualTo(good);
      assertThat(names(second)).isEqualTo(names(first));
    }
  }

  private TargetReconciler reconciler(ChartSource charts) {
    KubernetesTarget target =
        new KubernetesTarget(
            "shop",
            "shop",
            new RecordingKubeApi(),
            folder -> "",
            Duration.ofMillis(10),
            KubernetesTarget.DEFAULT_CRD_TIMEOUT,
            ControllerManagers.defaults(),
            SopsDecryptor.withoutKeys(),
            charts);
    TargetSettings settings =
        new TargetSettings(
            "shop",
            "kubernetes",
            "apps",
            Mode.DETECT,
            false,
            Duration.ofMinutes(1),
            Duration.ofSeconds(5),
            SyncWindows.none());
    return new TargetReconciler(
        settings, target, new LocalFolderSource(repo), new RunListener() {}, Clock.systemUTC());
  }

  private static List<String> names(DriftReport report) {
    return report.objects().stream().map(ObjectReport::key).sorted().toList();
  }

  private String release(String repository, String version) {
    return "apiVersion: tidemark.io/v1\nkind: HelmRelease\nmetadata:\n  name: db\n"
        + "  namespace: data\nspec:\n  repository: "
        + repository
        + "\n  chart: mysql\n  version: "
        + version
        + "\n";
  }

  private String commit(Git git, String release) throws Exception {
    Files.createDirectories(repo.resolve("apps"));
    Files.writeString(repo.resolve("apps/db.yaml"), release);
    git.add().addFilepattern(".").call();
    return git.commit()
        .setMessage("db " + release.hashCode())
        .setAuthor("t", "t@example.org")
        .setCommitter("t", "t@example.org")
        .setSign(false)
        .call()
        .name();
  }
}
