package io.tidemark.api;

import io.tidemark.lease.ShardLeases;
import io.tidemark.reconcile.Reconcilers;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hands a request about one target ({@code /api/targets/NAME/...}) to the replica that holds the
 * target's shard, at the address that replica wrote on the shard's Lease, and answers with its
 * answer: every replica serves every target's reports, and a sync reaches the replica that runs it.
 * The caller's own bearer token goes along unchanged (the holder checks it as if called directly);
 * a holder that does not answer in time is a 503, and a forwarded request is never forwarded again.
 */
public class ShardForwarding {

  private static final Logger LOG = Logger.getLogger(ShardForwarding.class);

  private static final String PREFIX = "/api/targets/";
  private static final String[] PASSED_ON = {
    HttpHeaders.AUTHORIZATION, HttpHeaders.ACCEPT, HttpHeaders.CONTENT_TYPE
  };

  private final Reconcilers reconcilers;
  private final ReplicaHttp replicas;

  public ShardForwarding(Reconcilers reconcilers, ReplicaHttp replicas) {
    this.reconcilers = reconcilers;
    this.replicas = replicas;
  }

  @ServerRequestFilter
  public Optional<Response> forward(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    if (!path.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String name =
        URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
    if (reconcilers.runner(name).isEmpty() || reconcilers.holds(name)) {
      return Optional.empty();
    }
    String forwardedBy = request.getHeaderString(ReplicaHttp.FORWARDED_BY);
    if (forwardedBy != null) {
      // The forwarding replica thinks this one holds the shard, and this one thinks otherwise:
      // answering from here could be stale and forwarding again could loop, so the caller retries
      // once the Leases settled.
      return Optional.of(
          unavailable(
              "replica "
                  + reconcilers.identity()
                  + " does not hold the shard of target "
                  + name
                  + " (the shard is changing hands); retry shortly",
              reconcilers.identity()));
    }
    Optional<ShardLeases.Holder> holder =
        reconcilers.holder(name).filter(h -> !h.identity().equals(reconcilers.identity()));
    if (holder.isEmpty() || holder.get().address().isEmpty()) {
      // Nobody to ask: reads come from this replica's store, a sync answers 503 itself.
      return Optional.empty();
    }
    return Optional.of(send(request, name, path, holder.get()));
  }

  private Response send(
      ContainerRequestContext request, String name, String path, ShardLeases.Holder holder) {
    Duration timeout = replicas.timeout().plus(waitAskedFor(request));
    try {
      HttpResponse<byte[]> answer =
          replicas.send(
              holder.address().orElseThrow(),
              request.getMethod(),
              path + query(request),
              headers(request),
              request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0],
              timeout);
      Response.ResponseBuilder out =
          Response.status(answer.statusCode())
              .entity(answer.body())
              .header(ReplicaHttp.SERVED_BY, holder.identity());
      answer.headers().firstValue(HttpHeaders.CONTENT_TYPE).ifPresent(out::type);
      for (String header : new String[] {HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.RETRY_AFTER}) {
        answer.headers().firstValue(header).ifPresent(v -> out.header(header, v));
      }
      return out.build();
    } catch (IOException e) {
      LOG.warnf(
          "target %s: holder %s did not answer a forwarded %s: %s",
          name, holder.identity(), request.getMethod(), e.getClass().getSimpleName());
      return unavailable(
          "target "
              + name
              + " is reconciled by replica "
              + holder.identity()
              + ", which did not answer within "
              + timeout.toSeconds()
              + "s; retry shortly (its shard moves to another replica if it stays down)",
          holder.identity());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable(
          "interrupted while asking replica " + holder.identity(), holder.identity());
    }
  }

  /** A sync that waits for its run ({@code ?wait=SECONDS}) is given that long on top. */
  private static Duration waitAskedFor(ContainerRequestContext request) {
    if (!HttpMethod.POST.equals(request.getMethod())) {
      return Duration.ZERO;
    }
    String wait = request.getUriInfo().getQueryParameters().getFirst("wait");
    try {
      return wait == null
          ? Duration.ZERO
          : Duration.ofSeconds(
              Math.min(Params.MAX_WAIT_SECONDS, Math.max(0, Long.parseLong(wait))));
    } catch (NumberFormatException e) {
      return Duration.ZERO; // the holder answers the 400
    }
  }

  private static Map<String, String> headers(ContainerRequestContext request) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String header : PASSED_ON) {
      String value = request.getHeaderString(header);
      if (value != null) {
        out.put(header, value);
      }
    }
    return out;
  }

  /** A 503 that says who was asked and when to retry; never the holder's address or a token. */
  static Response unavailable(String why, String holder) {
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", why, "holder", holder))
        .build();
  }

  private static String query(ContainerRequestContext request) {
    String raw = request.getUriInfo().getRequestUri().getRawQuery();
    return raw == null || raw.isEmpty() ? "" : "?" + raw;
  }
}
