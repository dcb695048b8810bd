package io.tidemark.reliability;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.junit.http.AppServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * JGit's Git server over HTTP for one bare repository, optionally sending at a capped rate, that a
 * test can take down at once: transfers under way break off mid-body, new requests get 503, until
 * it is brought back.
 */
final class SlowGitServer implements AutoCloseable {

  private final Path bare;
  private final long bytesPerSecond;
  private final AtomicBoolean down = new AtomicBoolean();
  private AppServer server;

  SlowGitServer(Path bare, long bytesPerSecond) {
    this.bare = bare;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Starts serving; returns the URL. */
  String start() throws Exception {
    Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
    server = new AppServer();
    ServletContextHandler app = server.addContext("/git");
    GitServlet servlet = new GitServlet();
    servlet.setRepositoryResolver(
        (request, name) -> {
          if (!name.equals("repo.git")) {
            throw new RepositoryNotFoundException(name);
          }
          repository.incrementOpen();
          return repository;
        });
    app.addServlet(new ServletHolder(servlet), "/*");
    Filter gate =
        (request, response, chain) -> {
          if (down.get()) {
            ((HttpServletResponse) response).sendError(503, "down");
            return;
          }
          chain.doFilter(request, new Throttled((HttpServletResponse) response));
        };
    app.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setUp();
    return "http://127.0.0.1:" + server.getPort() + "/git/repo.git";
  }

  /** Breaks off every transfer under way and refuses new requests. */
  void down() {
    down.set(true);
  }

  /** Serves again. */
  void up() {
    down.set(false);
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.tearDown();
      server = null;
    }
  }

  /** A response whose body is written in 16 KiB pieces, paced to the rate. */
  private final class Throttled extends HttpServletResponseWrapper {

    private ServletOutputStream out;

    Throttled(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (out == null) {
        ServletOutputStream real = super.getOutputStream();
        out =
            new ServletOutputStream() {
              @Override
              public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                int chunk = 16 * 1024;
                for (int at = off; at < off + len; at += chunk) {
                  if (down.get()) {
                    // Thrown after the response was committed: the server aborts the connection.
                    throw new IOException("the Git server went down");
                  }
                  int n = Math.min(chunk, off + len - at);
                  real.write(b, at, n);
                  if (bytesPerSecond > 0) {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(n) / bytesPerSecond);
                  }
                }
              }

              @Override
              public void flush() throws IOException {
                real.flush();
              }

              @Override
              public boolean isReady() {
                return real.isReady();
              }

              @Override
              public void setWriteListener(WriteListener listener) {
                real.setWriteListener(listener);
              }
            };
      }
      return out;
    }
  }
}
