package io.tidemark.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A running Tidemark whose reads are protected (an API token and a read token), with the quick
 * start's case as its one Swarm target: apply mode, a service that runs and one whose image is not
 * on the node, so its tasks never run.
 */
public class ProtectedApiProfile implements QuarkusTestProfile {

  public static final String TARGET = "quick";
  public static final String STACK = "health-quick";
  public static final String TOKEN = "api-token-for-tests";
  public static final String READ_TOKEN = "read-token-for-tests";

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      Path dir = Files.createTempDirectory("tidemark-protected");
      GitFixture repo = GitFixture.create(dir.resolve("git"));
      repo.write(
              "swarm/docker-stack.yml",
              """
              services:
                web:
                  image: %s
                  command: ["sleep", "3600"]
                  stop_grace_period: 1s
                db:
                  image: tidemark-test/not-on-this-node:1
              """
                  .formatted(TestSwarm.IMAGE))
          .commitAndPush("the quick start's case");
      Path readToken = dir.resolve("read-token");
      Files.writeString(readToken, READ_TOKEN + "\n");
      return Map.ofEntries(
          Map.entry("tidemark.data-dir", dir.resolve("data").toString()),
          Map.entry("tidemark.git.url", repo.url()),
          Map.entry("tidemark.git.poll-interval", "1h"),
          Map.entry("tidemark.targets.quick.kind", "swarm"),
          Map.entry("tidemark.targets.quick.path", "swarm"),
          Map.entry("tidemark.targets.quick.stack", STACK),
          Map.entry("tidemark.targets.quick.mode", "apply"),
          Map.entry("tidemark.targets.quick.health-timeout", "3s"),
          Map.entry("tidemark.api.token", TOKEN),
          Map.entry("tidemark.api.protect-reads", "true"),
          Map.entry("tidemark.api.read-token-file", readToken.toString()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
