package io.tidemark.cluster.kubernetes.helm;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The configured credentials of chart repositories, matched to a release's repository URL by prefix
 * as Argo CD's credential templates are: the longest matching prefix wins, so one entry can serve
 * every chart of a registry and another override it for one path.
 */
public record ChartCredentials(List<RepositoryCredentials> entries) {

  public ChartCredentials {
    entries = List.copyOf(entries);
  }

  /** No credentials: public repositories only, OCI over HTTPS. */
  public static ChartCredentials none() {
    return new ChartCredentials(List.of());
  }

  /** The entry for {@code repositoryUrl}, if any. */
  public Optional<RepositoryCredentials> forUrl(String repositoryUrl) {
    return entries.stream()
        .filter(e -> e.covers(repositoryUrl))
        .max(Comparator.comparingInt(e -> e.urlPrefix().length()));
  }
}
