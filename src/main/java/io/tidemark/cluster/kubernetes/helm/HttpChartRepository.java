package io.tidemark.cluster.kubernetes.helm;

import io.tidemark.cluster.kubernetes.helm.ChartHttp.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A classic Helm chart repository over HTTP(S): reads its {@code index.yaml}, finds the chart's
 * exact version, and downloads the archive its index names, stating the index's digest. Credentials
 * go to the repository's own host only (Helm's default without {@code --pass-credentials}).
 */
final class HttpChartRepository {

  private final ChartHttp http;
  private final ChartCredentials credentials;
  private final int maxCodePoints;

  HttpChartRepository(ChartHttp http, ChartCredentials credentials, int maxCodePoints) {
    this.http = http;
    this.credentials = credentials;
    this.maxCodePoints = maxCodePoints;
  }

  LocatedChart locate(ChartReference ref) throws ChartFetchException {
    URI base = URI.create(ref.repository() + "/");
    String what = "chart repository " + ref.repository();
    Optional<RepositoryCredentials> creds = credentials.forUrl(ref.repository());
    Map<String, String> auth = new HashMap<>();
    creds.flatMap(RepositoryCredentials::basic).ifPresent(b -> auth.put("Authorization", b));
    Response index = http.get(base.resolve("index.yaml"), auth, what);
    check(index, what + " (index.yaml)", creds);
    Map<?, ?> entries = entries(index.body(), what);
    if (!(entries.get(ref.chart()) instanceof List<?> versions) || versions.isEmpty()) {
      throw new ChartFetchException("chart " + ref.chart() + " not found in " + what);
    }
    Map<?, ?> entry = find(versions, ref.version());
    if (entry == null) {
      throw new ChartFetchException(
          "version "
              + ref.version()
              + " of chart "
              + ref.chart()
              + " not found in "
              + what
              + " (it has "
              + some(versions)
              + ")");
    }
    if (!(entry.get("urls") instanceof List<?> urls)
        || urls.isEmpty()
        || !(urls.get(0) instanceof String url)) {
      throw new ChartFetchException(
          what + " names no archive URL for " + ref.chart() + " " + ref.version());
    }
    URI archive = base.resolve(url.strip());
    Optional<String> digest = Optional.empty();
    if (entry.get("digest") instanceof String hex && !hex.isBlank()) {
      String lower = hex.strip().toLowerCase(Locale.ROOT);
      digest = Optional.of(lower.startsWith("sha256:") ? lower : "sha256:" + lower);
    }
    Map<String, String> archiveAuth = sameOrigin(base, archive) ? auth : Map.of();
    String archiveWhat = "chart archive " + ChartHttp.safe(archive);
    return new LocatedChart(
        digest,
        () -> {
          Response response = http.get(archive, archiveAuth, archiveWhat);
          check(response, archiveWhat, creds);
          return response.body();
        });
  }

  private Map<?, ?> entries(byte[] body, String what) throws ChartFetchException {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(maxCodePoints);
    options.setMaxAliasesForCollections(50);
    Object tree;
    try {
      // Every scalar stays a string, as in Helm's typed index: a digest of only digits must not
      // become a number, nor a version 1.10 the float 1.1.
      Resolver strings =
          new Resolver() {
            @Override
            protected void addImplicitResolvers() {}
          };
      DumperOptions dumper = new DumperOptions();
      tree =
          new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, strings)
              .load(new String(body, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new ChartFetchException(what + " sent an index.yaml that does not parse");
    }
    if (!(tree instanceof Map<?, ?> index) || !(index.get("entries") instanceof Map<?, ?> map)) {
      throw new ChartFetchException(what + " sent an index.yaml without entries");
    }
    return map;
  }

  private static Map<?, ?> find(List<?> versions, String version) {
    String bare = version.startsWith("v") ? version.substring(1) : version;
    for (Object candidate : versions) {
      if (candidate instanceof Map<?, ?> entry && entry.get("version") != null) {
        String v = String.valueOf(entry.get("version"));
        if (v.equals(version) || (v.startsWith("v") ? v.substring(1) : v).equals(bare)) {
          return entry;
        }
      }
    }
    return null;
  }

  /** A few of the versions the index has, in its order (Helm writes the newest first). */
  private static String some(List<?> versions) {
    List<String> names = new ArrayList<>();
    for (Object candidate : versions) {
      if (candidate instanceof Map<?, ?> entry && entry.get("version") != null) {
        names.add(String.valueOf(entry.get("version")));
      }
    }
    String shown = String.join(", ", names.subList(0, Math.min(5, names.size())));
    return names.size() > 5 ? shown + ", ..." : shown;
  }

  /** Turns a refusal into a message that says what to fix (never what the credential is). */
  static void check(Response response, String what, Optional<RepositoryCredentials> creds)
      throws ChartFetchException {
    int status = response.status();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 401 || status == 403) {
      throw new ChartFetchException(
          creds.filter(RepositoryCredentials::present).isPresent()
              ? what
                  + " refused the credentials of tidemark.helm.repositories for "
                  + creds.get().urlPrefix()
                  + " ("
                  + status
                  + ")"
              : what
                  + " asks for credentials ("
                  + status
                  + "); none are configured for it in tidemark.helm.repositories");
    }
    if (status == 404) {
      throw new ChartFetchException(what + " not found (404)");
    }
    throw new ChartFetchException(what + " answered " + status);
  }

  private static boolean sameOrigin(URI a, URI b) {
    return java.util.Objects.equals(a.getScheme(), b.getScheme())
        && java.util.Objects.equals(a.getHost(), b.getHost())
        && a.getPort() == b.getPort();
  }
}
