package io.tidemark.cluster.swarm;

import io.tidemark.cluster.TargetException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real Docker Engine in swarm mode that {@code scripts/test-swarm.sh} starts (DOCKER_HOST), and
 * helpers to drive it as an operator would, through the docker CLI.
 */
public final class TestSwarm {

  public static final String IMAGE = "tidemark-test/busybox:1";

  private TestSwarm() {}

  /** The engine named by DOCKER_HOST; without one the test fails, never silently skips. */
  public static DockerApi connect() {
    String host = System.getenv("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      throw new AssertionError("DOCKER_HOST is not set: run the tests with scripts/run-tests.sh");
    }
    return DockerApi.connect(host, Duration.ofSeconds(30));
  }

  /** Runs the docker CLI against DOCKER_HOST and returns its output; fails the test on error. */
  public static String docker(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new AssertionError("docker " + String.join(" ", args) + " failed: " + out);
      }
      return out.trim();
    } catch (IOException e) {
      throw new AssertionError("cannot run docker", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Removes every service, network, config and secret whose name starts with {@code prefix}. */
  public static void removeAll(DockerApi api, String prefix) throws TargetException {
    for (String kind : List.of("services", "secrets", "configs")) {
      for (Map<String, Object> object : api.getArray("/" + kind)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) object.get("Spec");
        if (String.valueOf(spec.get("Name")).startsWith(prefix)) {
          try {
            api.delete("/" + kind + "/" + object.get("ID"));
          } catch (DockerApiException e) {
            if (!e.notFound()) {
              throw e;
            }
          }
        }
      }
    }
    for (Map<String, Object> network : api.getArray("/networks")) {
      if (String.valueOf(network.get("Name")).startsWith(prefix)) {
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> {
                  try {
                    api.delete("/networks/" + network.get("Id"));
                  } catch (DockerApiException e) {
                    if (!e.notFound()) {
                      throw e;
                    }
                    // Already gone: the engine removed it (or another cleanup did) meanwhile.
                  }
                  return true;
                });
      }
    }
    // Removal is asynchronous in a swarm: the next test must not see half-removed objects.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> remaining(api, prefix) == 0);
  }

  private static long remaining(DockerApi api, String prefix) throws TargetException {
    long left = 0;
    for (String kind : List.of("services", "secrets", "configs")) {
      left +=
          api.getArray("/" + kind).stream()
              .filter(
                  o -> String.valueOf(((Map<?, ?>) o.get("Spec")).get("Name")).startsWith(prefix))
              .count();
    }
    left +=
        api.getArray("/networks").stream()
            .filter(n -> String.valueOf(n.get("Name")).startsWith(prefix))
            .count();
    return left;
  }
}
