package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The specs Tidemark sends equal what {@code docker stack deploy} sends, on the real engine. */
class StackDeployComparisonTest {

  private static SwarmEngine engine;

  @BeforeAll
  static void connect() {
    org.junit.jupiter.api.Assumptions.assumeTrue(SwarmEngine.available(), "DOCKER_HOST is not set");
    engine = SwarmEngine.connect();
    engine.removeStacks(StackComparison.CLI_STACK, StackComparison.API_STACK);
  }

  @AfterAll
  static void cleanUp() {
    if (engine != null) {
      engine.removeStacks(StackComparison.CLI_STACK, StackComparison.API_STACK);
      engine.close();
    }
  }

  @Test
  void basicServicesMatchTheCliAndShowNoDriftThenShowOutOfBandChanges(@TempDir Path repo)
      throws Exception {
    Path folder = Files.createDirectories(repo.resolve("stack"));
    Files.writeString(
        folder.resolve("docker-stack.yml"),
        """
        version: "3.8"
        services:
          web:
            image: tidemark-test/busybox:1
            command: ["sleep", "1000"]
            environment:
              B: two
              A: "1"
            labels:
              c.label: x
            deploy:
              replicas: 2
              labels:
                s.label: y
          worker:
            image: tidemark-test/busybox:1
            entrypoint: sh -c
            command: 'sleep 1000'
            environment:
              - MODE=work
              - EMPTY=
            deploy:
              mode: global
        """);
    StackComparison comparison = new StackComparison(engine);
    StackComparison.Outcome outcome = comparison.compare(repo, "stack");
    DesiredState desired = outcome.desired();

    assertThat(outcome.differences()).isEmpty();
    assertThat(outcome.drift()).isEmpty();

    SwarmEngine.docker("service", "scale", "--detach", StackComparison.API_STACK + "_web=3");
    SwarmEngine.docker(
        "service", "update", "--detach", "--env-add", "C=3", StackComparison.API_STACK + "_worker");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(comparison.tidemarkDrift(desired))
                    .containsExactlyInAnyOrder(
                        new FieldDiff("Service/tmconvapi_web Mode.Replicated.Replicas", 2L, 3),
                        new FieldDiff(
                            "Service/tmconvapi_worker TaskTemplate.ContainerSpec.Env.C",
                            null,
                            "3")));
  }
}
