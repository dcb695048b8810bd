package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service's container images run as a non-root user: the last {@code USER} of each Dockerfile
 * under {@code src/main/docker} names neither root nor uid 0.
 */
class ContainerUserTest {

  private static final Path DOCKER = Path.of("src/main/docker");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
  void theImageRunsAsANonRootUser(String name) throws Exception {
    Path dockerfile = DOCKER.resolve(name);
    Assumptions.assumeTrue(
        Files.isRegularFile(dockerfile), dockerfile + " is not in this tree (branch platform)");
    List<String> users =
        Files.readAllLines(dockerfile).stream()
            .map(String::trim)
            .filter(l -> l.toUpperCase(Locale.ROOT).startsWith("USER "))
            .map(l -> l.substring(5).trim())
            .toList();

    assertThat(users).as("USER instructions of " + name).isNotEmpty();
    String last = users.get(users.size() - 1);
    String user = last.split(":")[0];
    assertThat(user).as("the user " + name + " runs as").isNotIn("root", "0", "");
  }
}
