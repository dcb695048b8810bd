package io.tidemark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.lease.ShardLeases;
import io.tidemark.reconcile.Reconcilers;
import io.tidemark.reconcile.TargetRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Reads the targets list of the other replicas, one request per replica, so that {@code GET
 * /api/targets} shows each target as the replica that holds it sees it; a replica that does not
 * answer leaves its targets as this replica knows them.
 */
@ApplicationScoped
public class HolderViews {

  private static final Logger LOG = Logger.getLogger(HolderViews.class);

  private final Reconcilers reconcilers;
  private final ObjectMapper json;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public HolderViews(Reconcilers reconcilers, ObjectMapper json) {
    this.reconcilers = reconcilers;
    this.json = json;
  }

  /** The views of targets held elsewhere, by target name, from their holders. */
  public Map<String, JsonNode> views(String authorization) {
    Map<String, Set<String>> byAddress = new HashMap<>();
    for (TargetRunner runner : reconcilers.runners()) {
      String name = runner.settings().name();
      if (reconcilers.holds(name)) {
        continue;
      }
      reconcilers
          .holder(name)
          .filter(h -> !h.identity().equals(reconcilers.identity()))
          .flatMap(ShardLeases.Holder::address)
          .ifPresent(a -> byAddress.computeIfAbsent(a, k -> new TreeSet<>()).add(name));
    }
    Map<String, JsonNode> views = new HashMap<>();
    byAddress.forEach(
        (address, names) ->
            list(address, authorization)
                .ifPresent(
                    list ->
                        list.forEach(
                            view -> {
                              String name = view.path("name").asText();
                              if (names.contains(name)) {
                                views.put(name, view);
                              }
                            })));
    return views;
  }

  private Optional<JsonNode> list(String address, String authorization) {
    String base = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/targets"))
            .timeout(Duration.ofSeconds(10))
            .header(ShardForwarding.FORWARDED_BY, reconcilers.identity())
            .GET();
    if (authorization != null) {
      request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    try {
      HttpResponse<byte[]> answer =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode list = json.readTree(answer.body());
      return list.isArray() ? Optional.of(list) : Optional.empty();
    } catch (IOException e) {
      LOG.debugf("targets list of %s not read: %s", address, e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
