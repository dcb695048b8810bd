package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML alias bombs, deep nesting and oversized files are rejected by parser limits, fast and with
 * bounded memory (bytes allocated while loading, an upper bound of heap growth), while a realistic
 * stack with hundreds of {@code <<: *defaults} merges still loads.
 */
class ParserLimitsTest {

  private static final RevisionInfo REVISION = new RevisionInfo("0123456789ab", "a", "m", null);
  private static final long BUDGET = 64 * Allocation.MIB;
  private static final Duration FAST = Duration.ofSeconds(5);

  @TempDir Path repo;

  /** Nine levels of nine aliases: 9^9 (387 million) strings once expanded. */
  private static String billionLaughs(String indent) {
    StringBuilder out = new StringBuilder();
    out.append(indent).append("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    String previous = "a";
    for (String level : List.of("b", "c", "d", "e", "f", "g", "h", "i")) {
      String alias = "*" + previous;
      out.append(indent)
          .append("x-")
          .append(level)
          .append(": &")
          .append(level)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, alias)))
          .append("]\n");
      previous = level;
    }
    return out.toString();
  }

  /** Forty levels of two aliases each (80 aliases): 2^40 values, under most alias counts. */
  private static String narrowBomb() {
    StringBuilder out = new StringBuilder("x-l0: &l0 [lol, lol]\n");
    for (int i = 1; i <= 40; i++) {
      out.append("x-l%d: &l%d [*l%d, *l%d]\n".formatted(i, i, i - 1, i - 1));
    }
    return out.toString();
  }

  private InvalidRevisionException rejected(DesiredStateLoader loader, Allocation[] cost) {
    InvalidRevisionException[] thrown = new InvalidRevisionException[1];
    cost[0] =
        Allocation.of(
            () -> {
              thrown[0] =
                  catchThrowableOfType(
                      InvalidRevisionException.class, () -> loader.load(repo, ".", REVISION));
              return null;
            });
    assertThat(thrown[0]).as("the revision must be rejected").isNotNull();
    System.out.printf(
        "figure: rejected in %d ms, %d MiB allocated: %s%n",
        cost[0].took().toMillis(), cost[0].mebibytes(), messages(thrown[0]));
    return thrown[0];
  }

  private static List<String> messages(InvalidRevisionException e) {
    return e.errors().stream().map(RenderError::toString).toList();
  }

  @Test
  void aComposeAliasBombIsRejectedWithItsFileAndLineInBoundedMemory() throws Exception {
    Files.writeString(
        repo.resolve("docker-stack.yml"),
        billionLaughs("")
            + narrowBomb()
            + "services:\n  web:\n    image: tidemark-test/busybox:1\n    x-bomb: *i\n");
    Allocation[] cost = new Allocation[1];

    InvalidRevisionException e = rejected(MalformedInputTest.loader("swarm"), cost);

    assertThat(messages(e))
        .anyMatch(
            m ->
                m.matches(
                    "docker-stack\\.yml:\\d+: invalid YAML: the file expands to more than .*"));
    assertThat(cost[0].bytes()).as("bytes allocated").isLessThan(BUDGET);
    assertThat(cost[0].took()).isLessThan(FAST);
  }

  @Test
  void aKubernetesAliasBombIsRejectedInBoundedMemory() throws Exception {
    Files.writeString(
        repo.resolve("bomb.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n"
            + billionLaughs("")
            + "data:\n  lol: *i\n");
    Allocation[] cost = new Allocation[1];

    InvalidRevisionException e = rejected(MalformedInputTest.loader("kubernetes"), cost);

    assertThat(messages(e)).anyMatch(m -> m.startsWith("bomb.yaml"));
    assertThat(cost[0].bytes()).as("bytes allocated").isLessThan(BUDGET);
    assertThat(cost[0].took()).isLessThan(FAST);
  }

  @Test
  void aKubernetesBombJustUnderTheAliasLimitIsStillRejectedInBoundedMemory() throws Exception {
    // Seven levels of seven aliases (49, under the alias limit of 50) stand for 7^7 = 823543
    // strings: the expansion budget, not the alias count, must stop this one.
    StringBuilder yaml =
        new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n");
    yaml.append("x-a: &a [lol, lol, lol, lol, lol, lol, lol]\n");
    String previous = "a";
    for (String level : List.of("b", "c", "d", "e", "f", "g")) {
      yaml.append(
          "x-%s: &%s [%s]\n"
              .formatted(level, level, ("*" + previous + ", ").repeat(6) + "*" + previous));
      previous = level;
    }
    yaml.append("data:\n  lol: *g\n");
    Files.writeString(repo.resolve("bomb.yaml"), yaml.toString());
    Allocation[] cost = new Allocation[1];

    InvalidRevisionException e = rejected(MalformedInputTest.loader("kubernetes"), cost);

    assertThat(messages(e)).anyMatch(m -> m.startsWith("bomb.yaml"));
    assertThat(cost[0].bytes()).as("bytes allocated").isLessThan(BUDGET);
    assertThat(cost[0].took()).isLessThan(FAST);
  }

  @Test
  void deeplyNestedDocumentsAreRejectedByTheNestingLimitInBoundedMemory() throws Exception {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    Files.writeString(
        repo.resolve("docker-stack.yml"),
        "services:\n  web:\n    image: tidemark-test/busybox:1\n    x-deep: " + deep + "\n");
    Allocation[] compose = new Allocation[1];
    InvalidRevisionException swarm = rejected(MalformedInputTest.loader("swarm"), compose);
    Files.delete(repo.resolve("docker-stack.yml"));
    Files.writeString(
        repo.resolve("deep.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: " + deep + "\n");
    Allocation[] manifest = new Allocation[1];
    InvalidRevisionException kube = rejected(MalformedInputTest.loader("kubernetes"), manifest);

    assertThat(messages(swarm)).anyMatch(m -> m.contains("Nesting Depth exceeded"));
    assertThat(messages(kube)).anyMatch(m -> m.contains("Nesting Depth exceeded"));
    for (Allocation cost : List.of(compose[0], manifest[0])) {
      assertThat(cost.bytes()).as("bytes allocated").isLessThan(BUDGET);
      assertThat(cost.took()).isLessThan(FAST);
    }
  }

  @Test
  void anOversizedComposeFileIsRefusedWithoutBeingRead() throws Exception {
    Path big = repo.resolve("docker-stack.yml");
    Files.writeString(big, "services:\n  web:\n    image: tidemark-test/busybox:1\n");
    try (var out = Files.newOutputStream(big, java.nio.file.StandardOpenOption.APPEND)) {
      byte[] comment = ("# " + "x".repeat(1021) + "\n").getBytes();
      for (int i = 0; i < 9 * 1024; i++) {
        out.write(comment);
      }
    }
    Allocation[] cost = new Allocation[1];

    InvalidRevisionException e = rejected(MalformedInputTest.loader("swarm"), cost);

    assertThat(messages(e)).anyMatch(m -> m.startsWith("docker-stack.yml: is larger than"));
    assertThat(cost[0].bytes()).as("bytes allocated").isLessThan(8 * Allocation.MIB);
  }

  @Test
  void aRealisticStackWithHundredsOfMergedDefaultsLoads() throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
            x-defaults: &defaults
              image: tidemark-test/busybox:1
              command: ["sleep", "3600"]
              environment:
                LOG_LEVEL: info
                REGION: eu-west-1
              labels:
                io.example/team: platform
              logging:
                driver: json-file
                options: {max-size: 10m, max-file: "3"}
            x-deploy: &deploy
              replicas: 2
              update_config: {parallelism: 1, delay: 5s, order: start-first}
              restart_policy: {condition: on-failure, max_attempts: 3}
              resources:
                limits: {cpus: "0.5", memory: 256M}
            services:
            """);
    for (int i = 0; i < 300; i++) {
      yaml.append(
          """
            svc%03d:
              <<: *defaults
              environment:
                <<: {LOG_LEVEL: info, REGION: eu-west-1}
                INDEX: "%d"
              deploy:
                <<: *deploy
                labels: {io.example/index: "%d"}
          """
              .formatted(i, i, i));
    }
    Files.writeString(repo.resolve("docker-stack.yml"), yaml.toString());

    DesiredState[] loaded = new DesiredState[1];
    Allocation cost =
        Allocation.of(
            () -> loaded[0] = MalformedInputTest.loader("swarm").load(repo, ".", REVISION));

    assertThat(loaded[0]).as("the stack loads").isNotNull();
    System.out.printf(
        "figure: 300 services with 600 merges loaded in %d ms, %d MiB allocated%n",
        cost.took().toMillis(), cost.mebibytes());
    assertThat(loaded[0].objects().keySet().stream().filter(k -> k.kind().equals("Service")))
        .hasSize(300);
    var spec = loaded[0].objects().get(ObjectKey.of("Service", "tmrelin_svc042")).spec();
    assertThat(((Number) Trees.at(spec, "Mode", "Replicated", "Replicas")).intValue()).isEqualTo(2);
    assertThat(String.valueOf(Trees.at(spec, "TaskTemplate", "ContainerSpec", "Env")))
        .contains("INDEX=42", "LOG_LEVEL=info");
    assertThat(cost.took()).isLessThan(Duration.ofSeconds(30));
  }
}
