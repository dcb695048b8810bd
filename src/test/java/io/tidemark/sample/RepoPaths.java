package io.tidemark.sample;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the sample repository's and Tidemark's own deployment folders live in this checkout. */
final class RepoPaths {

  private RepoPaths() {}

  /** The project root: Maven runs tests in it, an IDE may run them below it. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path sampleSwarm() {
    return root().resolve("sample-repo/cluster/docker-swarm");
  }

  static Path sampleKubernetes() {
    return root().resolve("sample-repo/cluster/kubernetes");
  }

  static Path deploySwarm() {
    return root().resolve("deploy/swarm");
  }

  static Path deployKubernetes() {
    return root().resolve("deploy/kubernetes");
  }
}
