package io.tidemark.api.replicas;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of a second replica, on a real socket: it answers a report for the target it holds
 * as a holder does, accepts syncs and webhook deliveries, and records every request exactly as it
 * arrived (method, path, headers, body bytes). It can hang (accept, never answer) or go down.
 */
final class PeerReplica implements AutoCloseable {

  static final String REPORT_ID = "20261202T060000Z-peer-run";

  /** One request as received: headers by lower-case name. */
  record Received(String method, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch hang;

  PeerReplica() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::answer);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** From now on, requests are accepted and never answered, until {@link #answerAgain()}. */
  void hang() {
    hang = new CountDownLatch(1);
  }

  void answerAgain() {
    CountDownLatch latch = hang;
    hang = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getRawPath();
    received.add(new Received(exchange.getRequestMethod(), path, headers, body));
    CountDownLatch latch = hang;
    if (latch != null) {
      try {
        latch.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String json;
    int status;
    if (path.endsWith("/drift")) {
      status = 200;
      json = "{\"id\":\"" + REPORT_ID + "\",\"result\":\"IN_SYNC\"}";
    } else if (path.endsWith("/sync")) {
      status = 202;
      json = "{\"status\":\"requested\"}";
    } else if (path.startsWith("/api/webhooks/")) {
      status = 202;
      json = "{\"triggered\":[]}";
    } else {
      status = 404;
      json = "{\"error\":\"not here\"}";
    }
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  @Override
  public void close() {
    answerAgain();
    server.stop(0);
    threads.shutdownNow();
  }
}
