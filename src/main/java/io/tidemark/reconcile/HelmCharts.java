package io.tidemark.reconcile;

import io.tidemark.cluster.kubernetes.helm.ChartCredentials;
import io.tidemark.cluster.kubernetes.helm.ChartSource;
import io.tidemark.cluster.kubernetes.helm.RepositoryCredentials;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.source.GitSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the one chart source of the service from {@code tidemark.helm.*}: its cache under {@code
 * <data-dir>/helm/charts}, credentials read from their files at start (as {@code
 * tidemark.git.password-file}).
 */
final class HelmCharts {

  private HelmCharts() {}

  static ChartSource source(TidemarkConfig config) {
    List<RepositoryCredentials> entries = new ArrayList<>();
    config
        .helm()
        .repositories()
        .forEach(
            (name, repo) ->
                entries.add(
                    new RepositoryCredentials(
                        repo.url().strip(),
                        repo.username(),
                        repo.passwordFile().map(file -> secret(name, file)),
                        repo.plainHttp())));
    return ChartSource.cachedIn(
        config.dataDir().resolve("helm").resolve("charts"),
        new ChartCredentials(entries),
        config.helm().timeout());
  }

  private static String secret(String name, Path file) {
    try {
      return GitSettings.readSecret(file);
    } catch (IOException e) {
      // The path is configuration, not a secret; the file's content is never in a message.
      throw new UncheckedIOException(
          "cannot read tidemark.helm.repositories." + name + ".password-file " + file, e);
    }
  }
}
