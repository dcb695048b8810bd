package io.tidemark.cluster.kubernetes.helm;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A chart in an HTTP chart repository ({@code https://...}) or an OCI registry ({@code oci://...})
 * at one exact version, as a HelmRelease names it. A version range is refused: what Git says must
 * be what runs, so the same commit always renders the same chart.
 */
public record ChartReference(String repository, String chart, String version) {

  /** Semantic version 2.0 without ranges; Helm's own charts allow a leading {@code v}. */
  private static final Pattern EXACT =
      Pattern.compile(
          "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

  private static final Pattern CHART_NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");

  public ChartReference {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(chart, "chart");
    Objects.requireNonNull(version, "version");
    while (repository.endsWith("/")) {
      repository = repository.substring(0, repository.length() - 1);
    }
  }

  /**
   * The reference a release's {@code spec.repository}, {@code spec.chart} and {@code spec.version}
   * make, or why they make none.
   */
  public static ChartReference of(Object repository, Object chart, Object version)
      throws ChartFetchException {
    if (!(repository instanceof String repo) || repo.isBlank()) {
      throw new ChartFetchException("spec.repository is not a URL");
    }
    URI uri;
    try {
      uri = new URI(repo.strip());
    } catch (URISyntaxException e) {
      throw new ChartFetchException("spec.repository is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("oci")) {
      throw new ChartFetchException("spec.repository must start with https://, http:// or oci://");
    }
    if (uri.getRawUserInfo() != null) {
      // Credentials belong in files (tidemark.helm.repositories.*), never in Git.
      throw new ChartFetchException(
          "spec.repository holds credentials; put them in tidemark.helm.repositories.<name>."
              + "password-file");
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ChartFetchException("spec.repository is not a repository URL (host, path)");
    }
    if (!(chart instanceof String name) || !CHART_NAME.matcher(name).matches()) {
      throw new ChartFetchException(
          "spec.chart is not a chart name (lower case letters, digits, '-', '_', '.'): " + chart);
    }
    if (version == null || (version instanceof String v && v.isBlank())) {
      throw new ChartFetchException(
          "spec.version missing: a chart from a repository needs an exact version (as 1.2.3)");
    }
    String exact = String.valueOf(version).strip();
    if (!EXACT.matcher(exact).matches()) {
      throw new ChartFetchException(
          "spec.version \""
              + exact
              + "\" is not an exact version (ranges, wildcards and tags are refused);"
              + " pin one (as 1.2.3)");
    }
    return new ChartReference(repo.strip(), name, exact);
  }

  /** Whether the chart lives in an OCI registry. */
  public boolean oci() {
    return repository.startsWith("oci://");
  }

  @Override
  public String toString() {
    return (oci() ? repository + "/" + chart + ":" : repository + " " + chart + " ") + version;
  }
}
