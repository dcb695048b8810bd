package io.tidemark.api;

import io.tidemark.lease.ShardLeases;
import io.tidemark.reconcile.Reconcilers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hands a request about one target ({@code /api/targets/NAME/...}) to the replica that holds the
 * target's shard, at the address that replica wrote on the shard's Lease, and answers with its
 * answer: every replica serves every target's reports, and a sync reaches the replica that runs it.
 * A request that already was forwarded, a target held here, or a holder not reachable is answered
 * here from this replica's own store.
 */
public class ShardForwarding {

  private static final Logger LOG = Logger.getLogger(ShardForwarding.class);

  /** Set on a forwarded request, naming the replica that forwarded it; never forwarded again. */
  public static final String FORWARDED_BY = "X-Tidemark-Forwarded-By";

  /** Set on a forwarded answer, naming the replica that answered. */
  public static final String SERVED_BY = "X-Tidemark-Served-By";

  private static final String PREFIX = "/api/targets/";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Reconcilers reconcilers;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public ShardForwarding(Reconcilers reconcilers) {
    this.reconcilers = reconcilers;
  }

  @ServerRequestFilter
  public Optional<Response> forward(ContainerRequestContext request) {
    String path = request.getUriInfo().getRequestUri().getRawPath();
    if (!path.startsWith(PREFIX) || request.getHeaderString(FORWARDED_BY) != null) {
      return Optional.empty();
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String name =
        URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
    if (reconcilers.runner(name).isEmpty() || reconcilers.holds(name)) {
      return Optional.empty();
    }
    Optional<ShardLeases.Holder> holder =
        reconcilers.holder(name).filter(h -> !h.identity().equals(reconcilers.identity()));
    if (holder.isEmpty() || holder.get().address().isEmpty()) {
      return Optional.empty();
    }
    URI uri = URI.create(strip(holder.get().address().get()) + path + query(request));
    try {
      HttpResponse<byte[]> answer =
          http.send(copy(request, uri), HttpResponse.BodyHandlers.ofByteArray());
      Response.ResponseBuilder out =
          Response.status(answer.statusCode())
              .entity(answer.body())
              .header(SERVED_BY, holder.get().identity());
      answer.headers().firstValue(HttpHeaders.CONTENT_TYPE).ifPresent(out::type);
      answer
          .headers()
          .firstValue(HttpHeaders.WWW_AUTHENTICATE)
          .ifPresent(v -> out.header(HttpHeaders.WWW_AUTHENTICATE, v));
      return Optional.of(out.build());
    } catch (IOException e) {
      LOG.debugf(
          "target %s: holder %s did not answer (%s); answering here",
          name, holder.get().identity(), e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private HttpRequest copy(ContainerRequestContext request, URI uri) throws IOException {
    byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
    HttpRequest.Builder out =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                request.getMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .header(FORWARDED_BY, reconcilers.identity());
    for (String header :
        new String[] {HttpHeaders.AUTHORIZATION, HttpHeaders.ACCEPT, HttpHeaders.CONTENT_TYPE}) {
      String value = request.getHeaderString(header);
      if (value != null) {
        out.header(header, value);
      }
    }
    return out.build();
  }

  private static String query(ContainerRequestContext request) {
    String raw = request.getUriInfo().getRequestUri().getRawQuery();
    return raw == null || raw.isEmpty() ? "" : "?" + raw;
  }

  private static String strip(String address) {
    return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
  }
}
