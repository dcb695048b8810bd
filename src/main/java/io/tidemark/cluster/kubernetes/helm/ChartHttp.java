package io.tidemark.cluster.kubernetes.helm;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * GETs from chart repositories and registries, each bounded in time (connect, answer and body
 * together) and in size. Redirects are followed here rather than by the client so that an {@code
 * Authorization} header never follows a redirect to another host (a registry's blob store).
 */
final class ChartHttp {

  private static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final Duration timeout;
  private final long maxBytes;

  /**
   * @param timeout the most one request may take, from connect to the body's last byte
   * @param maxBytes the largest body accepted (an index.yaml, a manifest, a chart archive)
   */
  ChartHttp(Duration timeout, long maxBytes) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.maxBytes = maxBytes;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** An answer: its status, headers and whole body. */
  record Response(int status, HttpHeaders headers, byte[] body) {

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.firstValue(name).orElse("");
    }
  }

  /**
   * GET {@code uri} with {@code headers}; {@code what} names the server in error messages.
   * Redirects are followed; {@code Authorization} only to the same host and port.
   */
  Response get(URI uri, Map<String, String> headers, String what) throws ChartFetchException {
    URI at = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      boolean sameOrigin = sameOrigin(uri, at);
      HttpRequest.Builder request = HttpRequest.newBuilder(at).timeout(timeout).GET();
      headers.forEach(
          (name, value) -> {
            if (sameOrigin || !name.equalsIgnoreCase("Authorization")) {
              request.header(name, value);
            }
          });
      Response response = send(request.build(), what);
      int status = response.status();
      if (status >= 300 && status < 400 && status != 304) {
        String location = response.header("Location");
        if (location.isEmpty()) {
          throw new ChartFetchException(what + " answered " + status + " without a Location");
        }
        at = at.resolve(location);
        continue;
      }
      return response;
    }
    throw new ChartFetchException(what + " redirected more than " + MAX_REDIRECTS + " times");
  }

  private Response send(HttpRequest request, String what) throws ChartFetchException {
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new LimitedBody(maxBytes));
    try {
      HttpResponse<byte[]> response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ChartFetchException(what + " did not answer within " + seconds());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ChartFetchException(what + ": interrupted");
    } catch (ExecutionException e) {
      throw new ChartFetchException(what + " " + reason(e.getCause()));
    }
  }

  private String reason(Throwable cause) {
    if (cause instanceof TooLarge) {
      return "sent more than " + (maxBytes >> 20) + " MiB";
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return "does not answer: no connection within " + seconds();
    }
    if (cause instanceof HttpTimeoutException) {
      return "did not answer within " + seconds();
    }
    if (cause instanceof ConnectException) {
      return "does not answer: connection refused";
    }
    if (cause instanceof SSLException) {
      return "refused the TLS handshake: " + cause.getMessage();
    }
    // I/O messages of the JDK client name no URL and no header.
    return "is unreachable: " + (cause.getMessage() == null ? cause : cause.getMessage());
  }

  private String seconds() {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && a.getPort() == b.getPort();
  }

  /** {@code uri} as it may be shown: no user info, no query (signed URLs carry tokens there). */
  static String safe(URI uri) {
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return uri.getScheme() + "://" + uri.getHost() + port + Objects.toString(uri.getPath(), "");
  }

  /** A body that is read whole unless it grows past a bound, then refused. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long max;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(long max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (result.isDone()) {
          return;
        }
        if (out.size() + (long) buffer.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }

  /** A body past the bound. */
  private static final class TooLarge extends Exception {
    TooLarge() {
      super("body too large", null, false, false);
    }
  }
}
