package io.tidemark.cluster.kubernetes.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Charts from HTTP chart repositories and OCI registries for HelmReleases: a pinned version is
 * resolved to its digest once (then remembered on disk), its archive downloaded once and checked
 * against the digest its repository states, and from then on the unpacked chart is served from
 * {@link ChartCache} without a request. Fetches of different charts run in parallel; of the same
 * chart, one at a time.
 */
public final class ChartSource {

  /** The largest index.yaml, manifest or chart archive accepted. */
  static final long MAX_BYTES = 64L << 20;

  private final ChartCache cache;
  private final HttpChartRepository http;
  private final OciChartRegistry oci;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  ChartSource(ChartCache cache, HttpChartRepository http, OciChartRegistry oci) {
    this.cache = cache;
    this.http = http;
    this.oci = oci;
  }

  /**
   * Charts cached under {@code cacheDir} (as {@code <data-dir>/helm/charts}), fetched with {@code
   * credentials}, each request bounded by {@code timeout}.
   */
  public static ChartSource cachedIn(
      Path cacheDir, ChartCredentials credentials, Duration timeout) {
    ChartHttp client = new ChartHttp(timeout, MAX_BYTES);
    return new ChartSource(
        new ChartCache(cacheDir),
        new HttpChartRepository(client, credentials, (int) MAX_BYTES),
        new OciChartRegistry(client, credentials));
  }

  /** A source that refuses every remote chart: for loaders built without a chart cache. */
  public static ChartSource none() {
    return new ChartSource(null, null, null);
  }

  /** The unpacked chart folder of {@code ref}, fetched when it is not cached yet. */
  public Path chart(ChartReference ref) throws ChartFetchException {
    if (cache == null) {
      throw new ChartFetchException(
          "charts from repositories are not available here (no chart cache configured)");
    }
    Optional<String> pinned = cache.pinned(ref);
    if (pinned.isPresent()) {
      Optional<Path> chart = cache.chart(pinned.get(), ref.toString());
      if (chart.isPresent()) {
        return chart.get();
      }
    }
    synchronized (locks.computeIfAbsent(ref.toString(), k -> new Object())) {
      return fetch(ref);
    }
  }

  /** How many times a repository or registry was asked for a chart's digest (cache misses). */
  public int lookups() {
    return lookups.get();
  }

  private Path fetch(ChartReference ref) throws ChartFetchException {
    Optional<String> pinned = cache.pinned(ref); // a fetch that just ended may have pinned it
    if (pinned.isPresent() && cache.has(pinned.get())) {
      return cache.chart(pinned.get(), ref.toString()).orElseThrow();
    }
    lookups.incrementAndGet();
    LocatedChart located = ref.oci() ? oci.locate(ref) : http.locate(ref);
    if (located.digest().isPresent() && cache.has(located.digest().get())) {
      cache.pin(ref, located.digest().get());
      return cache.chart(located.digest().get(), ref.toString()).orElseThrow();
    }
    byte[] archive = located.download().get();
    String actual = ChartCache.sha256(archive);
    if (located.digest().isPresent() && !located.digest().get().equals(actual)) {
      throw new ChartFetchException(
          "digest mismatch for "
              + ref
              + ": the repository states "
              + located.digest().get()
              + ", the archive it sent has "
              + actual);
    }
    cache.store(actual, archive);
    cache.pin(ref, actual);
    return cache.chart(actual, ref.toString()).orElseThrow();
  }
}
