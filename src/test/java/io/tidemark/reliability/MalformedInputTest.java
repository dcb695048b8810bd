package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tidemark.cluster.kubernetes.KubernetesManifestLoader;
import io.tidemark.cluster.kubernetes.Kustomize;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.model.RevisionInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed compose file and manifest under {@code fixtures/malformed/} is rejected whole by
 * its loader, quickly, with the error its {@code expected-error.txt} names (file and line).
 */
class MalformedInputTest {

  static final Path FIXTURES = Path.of("src/test/resources/fixtures/malformed");
  private static final RevisionInfo REVISION = new RevisionInfo("0123456789ab", "a", "m", null);
  private static final Kustomize NO_KUSTOMIZE =
      folder -> {
        throw new Kustomize.KustomizeException("no kustomize in this test");
      };

  static Stream<Arguments> cases() throws Exception {
    return Stream.of("swarm", "kubernetes")
        .flatMap(
            kind -> {
              try (Stream<Path> dirs = Files.list(FIXTURES.resolve(kind))) {
                return dirs
                    .filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .map(name -> Arguments.of(kind, name))
                    .toList()
                    .stream();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
  }

  static DesiredStateLoader loader(String kind) {
    return kind.equals("swarm")
        ? new SwarmStackLoader("rel", "tmrelin", Map.of())
        : new KubernetesManifestLoader("rel", "apps", NO_KUSTOMIZE);
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("cases")
  void aMalformedRevisionIsRejectedWholeWithTheExpectedFileLineError(String kind, String name)
      throws Exception {
    Path dir = FIXTURES.resolve(kind).resolve(name);
    List<String> expected =
        Files.readAllLines(dir.resolve("expected-error.txt")).stream()
            .filter(l -> !l.isBlank())
            .toList();
    assertThat(expected).as("expected-error.txt of " + name).isNotEmpty();

    long start = System.nanoTime();
    InvalidRevisionException rejected =
        catchThrowableOfType(
            InvalidRevisionException.class, () -> loader(kind).load(dir, ".", REVISION));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(rejected).as("%s/%s must be rejected", kind, name).isNotNull();
    List<String> errors = rejected.errors().stream().map(RenderError::toString).toList();
    for (String substring : expected) {
      assertThat(errors).as("errors of %s/%s", kind, name).anyMatch(e -> e.contains(substring));
    }
    assertThat(took).as("time to reject %s/%s", kind, name).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theSuiteHoldsAtLeastThirtyCases() throws Exception {
    assertThat(cases().count()).isGreaterThanOrEqualTo(30);
  }
}
