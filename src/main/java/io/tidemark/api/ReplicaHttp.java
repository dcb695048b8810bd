package io.tidemark.api;

import io.tidemark.config.TidemarkConfig;
import io.tidemark.reconcile.Reconcilers;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends requests to another replica at the address that replica wrote on its Lease: connecting
 * within 2 s and answering within {@code tidemark.sharding.forward-timeout}, every request marked
 * with {@link #FORWARDED_BY} so that the replica receiving it never forwards it again (two replicas
 * that each think the other holds a shard cannot bounce a request between them). Only the headers
 * the caller passes are sent: this replica adds no credential of its own.
 */
@Singleton
public class ReplicaHttp {

  /** Set on a forwarded request, naming the replica that forwarded it; never forwarded again. */
  public static final String FORWARDED_BY = "X-Tidemark-Forwarded-By";

  /** Set on a forwarded answer, naming the replica that answered. */
  public static final String SERVED_BY = "X-Tidemark-Served-By";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final String identity;
  private final Duration timeout;

  public ReplicaHttp(Reconcilers reconcilers, TidemarkConfig config) {
    this.identity = reconcilers.identity();
    this.timeout = config.sharding().forwardTimeout();
  }

  /** How long an answer is waited for, beyond any wait the request itself asks for. */
  public Duration timeout() {
    return timeout;
  }

  /** Sends and waits for the answer, at most {@code timeout}; a holder down is an IOException. */
  public HttpResponse<byte[]> send(
      String address,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      byte[] body,
      Duration timeout)
      throws IOException, InterruptedException {
    return http.send(
        request(address, method, pathAndQuery, headers, body, timeout),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Sends without waiting; the future fails when the replica does not answer in time. */
  public CompletableFuture<HttpResponse<byte[]>> sendAsync(
      String address,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      byte[] body) {
    return http.sendAsync(
        request(address, method, pathAndQuery, headers, body, timeout),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest request(
      String address,
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      byte[] body,
      Duration timeout) {
    String base = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    HttpRequest.Builder out =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(timeout)
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (!name.equalsIgnoreCase(FORWARDED_BY)) {
            try {
              out.header(name, value);
            } catch (IllegalArgumentException e) {
              // A header the client sets itself (Host, Content-Length, Connection...): its own.
            }
          }
        });
    out.header(FORWARDED_BY, identity);
    return out.build();
  }
}
