package io.tidemark.sample;

import io.tidemark.cluster.kubernetes.KubernetesManifestLoader;
import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.model.DesiredState;
import io.tidemark.model.RevisionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Kubernetes variant of the sample as Tidemark loads it (SOPS files decrypted with the demo
 * key, Helm releases rendered), and the same folder as it was before its app services became
 * releases of {@code charts/service}: the hand-written files kept under {@code
 * fixtures/sample-app-before}.
 */
public final class SampleKubernetes {

  /** The folder of the Kubernetes variant inside the sample repository. */
  public static final String FOLDER = "cluster/kubernetes";

  /** The files of {@code 20-app/} that the chart's releases replaced. */
  static final List<String> RELEASE_FILES =
      List.of("gateway.yaml", "inventory.yaml", "orders.yaml");

  private static final RevisionInfo REVISION = new RevisionInfo("sample", "test", "sample", null);

  private SampleKubernetes() {}

  /** The sample repository of this checkout. */
  public static Path repository() {
    return RepoPaths.root().resolve("sample-repo");
  }

  /**
   * A copy of the sample repository's Kubernetes variant under {@code dir} with the hand-written
   * app manifests in place of the HelmReleases and no chart: the sample as it was; returns its
   * root.
   */
  public static Path beforeCharts(Path dir) {
    Path source = repository().resolve(FOLDER);
    Path copy = dir.resolve(FOLDER);
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        Path relative = source.relativize(file);
        if (!relative.startsWith("charts")) {
          Files.createDirectories(copy.resolve(relative).getParent());
          Files.copy(file, copy.resolve(relative));
        }
      }
      Path before = RepoPaths.root().resolve("src/test/resources/fixtures/sample-app-before");
      for (String name : RELEASE_FILES) {
        Files.copy(
            before.resolve(name),
            copy.resolve("20-app").resolve(name),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /**
   * A loader as a Kubernetes target named {@code target} has it, with the demo key; namespaced
   * objects that name no namespace land in {@code defaultNamespace}.
   */
  public static KubernetesManifestLoader loader(String target, String defaultNamespace) {
    return new KubernetesManifestLoader(
        target, defaultNamespace, folder -> "", DemoKey.decryptor(), new HelmRenderer());
  }

  /** The objects {@code folder} of {@code repository} loads to, as target {@code target}. */
  public static DesiredState load(Path repository, String folder, String target) {
    try {
      return loader(target, "no-namespace-given").load(repository, folder, REVISION);
    } catch (InvalidRevisionException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
