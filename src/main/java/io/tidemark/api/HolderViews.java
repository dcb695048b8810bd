package io.tidemark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.lease.ShardLeases;
import io.tidemark.reconcile.Reconcilers;
import io.tidemark.reconcile.TargetRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.net.http.HttpResponse;
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
  private final ReplicaHttp replicas;

  public HolderViews(Reconcilers reconcilers, ObjectMapper json, ReplicaHttp replicas) {
    this.reconcilers = reconcilers;
    this.json = json;
    this.replicas = replicas;
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
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put(HttpHeaders.AUTHORIZATION, authorization);
    }
    try {
      HttpResponse<byte[]> answer =
          replicas.send(address, "GET", "/api/targets", headers, new byte[0], replicas.timeout());
      if (answer.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode list = json.readTree(answer.body());
      return list.isArray() ? Optional.of(list) : Optional.empty();
    } catch (IOException e) {
      LOG.debugf("targets list of %s not read: %s", address, e.getClass().getSimpleName());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
