package io.tidemark.cluster.kubernetes.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.kubernetes.helm.ChartHttp.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helm charts in an OCI registry, read through the distribution API as {@code helm pull oci://}
 * does: the manifest of the version's tag ({@code +} written {@code _}), its chart layer ({@code
 * application/vnd.cncf.helm.chart.content.v1.tar+gzip}) stating the digest, then that blob. A
 * registry that answers 401 gets Basic credentials or, when it names a token service, a pull token
 * fetched with them (anonymous when none are configured).
 */
final class OciChartRegistry {

  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  private static final String LEGACY_LAYER = "application/tar+gzip";
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChartHttp http;
  private final ChartCredentials credentials;

  OciChartRegistry(ChartHttp http, ChartCredentials credentials) {
    this.http = http;
    this.credentials = credentials;
  }

  LocatedChart locate(ChartReference ref) throws ChartFetchException {
    URI repo = URI.create(ref.repository());
    Optional<RepositoryCredentials> creds = credentials.forUrl(ref.repository());
    String scheme = creds.map(RepositoryCredentials::plainHttp).orElse(false) ? "http" : "https";
    String path = repo.getPath() == null ? "" : repo.getPath().replaceAll("^/+|/+$", "");
    String name = (path.isEmpty() ? "" : path + "/") + ref.chart();
    String authority = repo.getRawAuthority();
    URI base = URI.create(scheme + "://" + authority + "/v2/" + name + "/");
    Session session = new Session(creds, name, "registry " + ref.repository());
    String tag = ref.version().replace('+', '_');
    Response manifest =
        session.get(base.resolve("manifests/" + tag), Map.of("Accept", MANIFEST), ref);
    if (manifest.status() == 404) {
      Response tags = session.get(base.resolve("tags/list"), Map.of(), ref);
      throw new ChartFetchException(
          tags.status() == 404
              ? "chart " + ref.chart() + " not found in registry " + ref.repository()
              : "version "
                  + ref.version()
                  + " of chart "
                  + ref.chart()
                  + " not found in registry "
                  + ref.repository());
    }
    session.check(manifest, "manifest of " + ref);
    String digest = chartLayer(manifest, ref);
    URI blob = base.resolve("blobs/" + digest);
    return new LocatedChart(
        Optional.of(digest),
        () -> {
          Response response = session.get(blob, Map.of(), ref);
          session.check(response, "chart layer " + digest + " of " + ref);
          return response.body();
        });
  }

  private static String chartLayer(Response manifest, ChartReference ref)
      throws ChartFetchException {
    JsonNode tree;
    try {
      tree = JSON.readTree(manifest.body());
    } catch (IOException e) {
      throw new ChartFetchException("the manifest of " + ref + " is not JSON");
    }
    for (JsonNode layer : tree.path("layers")) {
      String type = layer.path("mediaType").asText("");
      if (type.equals(CHART_LAYER) || type.equals(LEGACY_LAYER)) {
        String digest = layer.path("digest").asText("").toLowerCase(Locale.ROOT);
        if (!DIGEST.matcher(digest).matches()) {
          throw new ChartFetchException(
              ref + " states a chart digest that is not sha256: " + layer.path("digest"));
        }
        return digest;
      }
    }
    throw new ChartFetchException(ref + " is not a Helm chart (no layer " + CHART_LAYER + ")");
  }

  /** The requests of one fetch, with the authorization the registry asked for once obtained. */
  private final class Session {

    private final Optional<RepositoryCredentials> creds;
    private final String name;
    private final String what;
    private String authorization;

    Session(Optional<RepositoryCredentials> creds, String name, String what) {
      this.creds = creds;
      this.name = name;
      this.what = what;
    }

    Response get(URI uri, Map<String, String> headers, ChartReference ref)
        throws ChartFetchException {
      Response response = http.get(uri, with(headers), what);
      if (response.status() != 401 || authorization != null) {
        return response;
      }
      authorization = authorize(response.header("WWW-Authenticate"));
      return http.get(uri, with(headers), what);
    }

    private Map<String, String> with(Map<String, String> headers) {
      Map<String, String> all = new HashMap<>(headers);
      if (authorization != null) {
        all.put("Authorization", authorization);
      }
      return all;
    }

    /** The Authorization header that answers the registry's challenge. */
    private String authorize(String challenge) throws ChartFetchException {
      Optional<String> basic = creds.flatMap(RepositoryCredentials::basic);
      if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
        return "Bearer " + token(challenge, basic);
      }
      return basic.orElseThrow(
          () ->
              new ChartFetchException(
                  what
                      + " asks for credentials (401); none are configured for it in"
                      + " tidemark.helm.repositories"));
    }

    /** A pull token from the registry's token service (RFC 6750 challenge, Docker token auth). */
    private String token(String challenge, Optional<String> basic) throws ChartFetchException {
      Map<String, String> params = new HashMap<>();
      Matcher m = PARAM.matcher(challenge);
      while (m.find()) {
        params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
      }
      String realm = params.get("realm");
      if (realm == null || realm.isBlank()) {
        throw new ChartFetchException(what + " asks for a bearer token but names no realm");
      }
      String scope = params.getOrDefault("scope", "repository:" + name + ":pull");
      StringBuilder query = new StringBuilder();
      if (params.containsKey("service")) {
        query.append("service=").append(encode(params.get("service"))).append('&');
      }
      query.append("scope=").append(encode(scope));
      URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
      Map<String, String> headers = new HashMap<>();
      basic.ifPresent(b -> headers.put("Authorization", b));
      String service = "token service " + ChartHttp.safe(tokenUri) + " of " + what;
      Response response = http.get(tokenUri, headers, service);
      HttpChartRepository.check(response, service, creds);
      try {
        JsonNode body = JSON.readTree(response.body());
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isBlank()) {
          throw new ChartFetchException(service + " sent no token");
        }
        return token;
      } catch (IOException e) {
        throw new ChartFetchException(service + " sent no JSON");
      }
    }

    void check(Response response, String object) throws ChartFetchException {
      HttpChartRepository.check(response, what + ": " + object, creds);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
