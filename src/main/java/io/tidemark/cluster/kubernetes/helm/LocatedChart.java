package io.tidemark.cluster.kubernetes.helm;

import java.util.Objects;
import java.util.Optional;

/**
 * A chart version found in its repository: the digest the repository states for its archive ({@code
 * sha256:<hex>}; an old index may state none) and how to download the archive.
 */
record LocatedChart(Optional<String> digest, Download download) {

  LocatedChart {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(download, "download");
  }

  /** Downloads the chart archive. */
  @FunctionalInterface
  interface Download {
    byte[] get() throws ChartFetchException;
  }
}
