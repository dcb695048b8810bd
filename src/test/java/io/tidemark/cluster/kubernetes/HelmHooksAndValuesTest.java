package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.cluster.kubernetes.helm.Capabilities;
import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Helm hooks placed around a release's objects, SOPS values files decrypted in memory, and the
 * cluster's Kubernetes version as {@code .Capabilities}.
 */
class HelmHooksAndValuesTest {

  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee1234", "a", "m", null);
  private static final Path REPO = Path.of("src/test/resources/fixtures/helm/repo");
  private static final ObjectKey MIGRATE =
      new ObjectKey("Job.batch", "helm-hooks", "billing-migrate");
  private static final ObjectKey DONE = new ObjectKey("ConfigMap", "helm-hooks", "billing-done");
  private static final ObjectKey DEPLOYMENT =
      new ObjectKey("Deployment.apps", "helm-hooks", "billing");
  private static final ObjectKey SECRET =
      new ObjectKey("Secret", "helm-hooks", "billing-credentials");

  private final HelmRenderer helm = new HelmRenderer();
  private final AtomicReference<Capabilities> cluster =
      new AtomicReference<>(new Capabilities("v1.29.7"));
  private final KubernetesManifestLoader loader =
      new KubernetesManifestLoader("shop", "apps", f -> "", sops(), helm, cluster::get);

  private static SopsDecryptor sops() {
    try {
      Path key = Path.of("src/test/resources/fixtures/sops/age-key.txt");
      return new SopsDecryptor(AgeKeys.parse(Files.readString(key), "age-key.txt"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void appliesPreHooksBeforeTheReleaseAndPostHooksAfterIt() throws Exception {
    DesiredState state = loader.load(REPO, "hooks", REVISION);

    assertThat(state.objects()).containsOnlyKeys(MIGRATE, DONE, DEPLOYMENT, SECRET);
    List<ObjectKey> order = new ArrayList<>(state.objects().keySet());
    order.add(new ObjectKey("Namespace", "", "helm-hooks"));
    order.sort(new ApplyOrder(loader.hookPhases()));
    assertThat(order)
        .containsExactly(
            new ObjectKey("Namespace", "", "helm-hooks"), MIGRATE, SECRET, DEPLOYMENT, DONE);
  }

  @Test
  void saysWhereEachHookGoesAndSkipsTestAndDeleteHooks() throws Exception {
    DesiredState state = loader.load(REPO, "hooks", REVISION);

    assertThat(state.notes())
        .containsExactlyInAnyOrder(
            "HelmRelease billing (hooks/release.yaml:1): pre-install,pre-upgrade hook"
                + " Job/helm-hooks/billing-migrate applied before the release's other objects",
            "HelmRelease billing (hooks/release.yaml:1): post-install,post-upgrade hook"
                + " ConfigMap/helm-hooks/billing-done applied after the release's other objects",
            "HelmRelease billing (hooks/release.yaml:1): test-success hook"
                + " Pod/helm-hooks/billing-smoke skipped (test hooks are not run)",
            "HelmRelease billing (hooks/release.yaml:1): pre-delete hook"
                + " ConfigMap/helm-hooks/billing-farewell skipped (only delete and rollback hooks;"
                + " Tidemark prunes, never rolls back)");
  }

  @Test
  void decryptsASopsValuesFileInMemoryAndMasksItsValues() throws Exception {
    DesiredState state = loader.load(REPO, "hooks", REVISION);

    var secret = state.objects().get(SECRET);
    assertThat(Trees.at(secret.spec(), "stringData", "password")).isEqualTo("value");
    assertThat(secret.maskedValues()).contains("value");
    assertThat(state.objects().get(DEPLOYMENT).maskedValues()).contains("value");
  }

  @Test
  void rejectsASopsValuesFileItCannotDecryptAtTheReleaseLine() {
    KubernetesManifestLoader keyless =
        new KubernetesManifestLoader(
            "shop", "apps", f -> "", SopsDecryptor.withoutKeys(), helm, cluster::get);

    assertThatThrownBy(() -> keyless.load(REPO, "hooks", REVISION))
        .isInstanceOfSatisfying(
            InvalidRevisionException.class,
            e ->
                assertThat(e.errors())
                    .extracting(RenderError::location)
                    .contains(new SourceLocation("hooks/release.yaml", 1)));
  }

  @Test
  void rendersWithTheClustersKubernetesVersionAndRendersAgainWhenItChanges() throws Exception {
    DesiredState first = loader.load(REPO, "hooks", REVISION);
    loader.load(REPO, "hooks", REVISION);
    cluster.set(new Capabilities("v1.32.12"));
    DesiredState upgraded = loader.load(REPO, "hooks", REVISION);

    assertThat(Trees.at(first.objects().get(DONE).spec(), "data", "kubeVersion"))
        .isEqualTo("v1.29.7");
    assertThat(Trees.at(upgraded.objects().get(DONE).spec(), "data", "kubeVersion"))
        .isEqualTo("v1.32.12");
    assertThat(helm.renders()).isEqualTo(2);
  }
}
