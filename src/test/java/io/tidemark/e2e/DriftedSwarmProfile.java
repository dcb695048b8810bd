package io.tidemark.e2e;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A running Tidemark with one Swarm target, {@code page}, in detect mode on a real Git repository,
 * on a random HTTP port. The web page and Prometheus tests share it (one start for both); {@link
 * DriftedStack} gives the target its drift.
 */
public class DriftedSwarmProfile implements QuarkusTestProfile {

  static final String TARGET = "page";
  static final String STACK = "tmpage";
  static final String TOKEN = "page-token";
  static final String STACK_FILE = "stacks/page/docker-stack.yml";

  /** The repository the running service reads; set when Quarkus starts with this profile. */
  static GitFixture repo;

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      Path dir = Files.createTempDirectory("tidemark-page");
      repo = GitFixture.create(dir.resolve("git"));
      // Markup in a commit message must reach the page as text, never as markup.
      repo.write(STACK_FILE, stack("v1")).commitAndPush("page v1 <b>not bold</b>");
      return Map.ofEntries(
          Map.entry("quarkus.http.test-port", "0"),
          Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
          Map.entry("tidemark.git.url", repo.url()),
          Map.entry("tidemark.git.poll-interval", "1h"),
          Map.entry("tidemark.targets.page.kind", "swarm"),
          Map.entry("tidemark.targets.page.path", "stacks/page"),
          Map.entry("tidemark.targets.page.stack", STACK),
          Map.entry("tidemark.targets.page.mode", "detect"),
          Map.entry("tidemark.targets.page.health-timeout", "45s"),
          Map.entry("tidemark.api.token", TOKEN));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A web service (the one the tests make drift) and a worker that stays in sync; a short grace
   * period because {@code sleep} as PID 1 ignores SIGTERM, and removal waits for the tasks.
   */
  static String stack(String version) {
    return """
        services:
          web:
            image: %1$s
            command: ["sleep", "3600"]
            stop_grace_period: 1s
            environment:
              APP_VERSION: %2$s
            deploy:
              replicas: 1
          worker:
            image: %1$s
            command: ["sleep", "3600"]
            stop_grace_period: 1s
        """
        .formatted(TestSwarm.IMAGE, version);
  }
}
