package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture under {@code fixtures/swarm/} deployed once by {@code docker stack deploy} and once
 * by Tidemark leaves the same services, networks, configs and secrets on the engine, and Tidemark
 * sees no drift in what it deployed.
 */
class StackFixturesTest {

  private static final Path FIXTURES = Path.of("src/test/resources/fixtures/swarm");

  /** External objects some fixtures reference; they exist before either deploy. */
  private static final String EXTERNAL_NETWORK = "tmconv_external";

  private static final String EXTERNAL_CONFIG = "tmconv_external_config";

  private static SwarmEngine engine;

  @BeforeAll
  static void connect() {
    Assumptions.assumeTrue(SwarmEngine.available(), "DOCKER_HOST is not set");
    engine = SwarmEngine.connect();
    engine.removeStacks(StackComparison.CLI_STACK, StackComparison.API_STACK);
    engine.ensureExternals(EXTERNAL_NETWORK, EXTERNAL_CONFIG);
  }

  @AfterEach
  void removeStacks() {
    if (engine != null) {
      engine.removeStacks(StackComparison.CLI_STACK, StackComparison.API_STACK);
    }
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.removeExternals(EXTERNAL_NETWORK, EXTERNAL_CONFIG);
      engine.close();
    }
  }

  static Stream<String> fixtures() throws Exception {
    try (Stream<Path> cases = Files.list(FIXTURES)) {
      return cases
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void tidemarkDeploysWhatTheCliDeploys(String fixture) throws Exception {
    StackComparison.Outcome outcome =
        new StackComparison(engine).compare(FIXTURES.toAbsolutePath(), fixture);
    assertThat(outcome.differences()).as("engine-kept specs, CLI vs Tidemark").isEmpty();
    assertThat(outcome.drift()).as("SwarmDiffer right after deploy").isEmpty();
    // Every object Tidemark wants was compared with one the CLI made (hash suffix aside).
    assertThat(outcome.compared())
        .containsAll(
            outcome.desired().list().stream()
                .map(o -> EngineSpecs.neutralKey(o.key(), StackComparison.API_STACK))
                .toList());
  }
}
