package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.desired.sops.SopsTestEncryptor;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack whose secret and env_file are files written by the real sops, reconciled on the real
 * engine: the running task reads the plain values, and a file encrypted again with the same plain
 * text rotates nothing.
 */
class SopsSwarmTest {

  private static final String STACK = "sopsswarm";
  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "a", "m", Instant.EPOCH);
  private static final String COMPOSE =
      """
      services:
        app:
          image: tidemark-test/busybox:1
          command: ["sleep", "600"]
          env_file: [env.env]
          secrets: [token]
      secrets:
        token:
          file: file.txt
      """;

  @TempDir Path repo;
  private DockerApi api;

  private static byte[] fixture(String name) throws Exception {
    try (InputStream in = SopsSwarmTest.class.getResourceAsStream("/fixtures/sops/" + name)) {
      return in.readAllBytes();
    }
  }

  @BeforeEach
  void connect() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    Files.writeString(repo.resolve("compose.yml"), COMPOSE);
    Files.write(repo.resolve("env.env"), fixture("env.env"));
    Files.write(repo.resolve("file.txt"), fixture("file.txt"));
  }

  @AfterEach
  void clean() throws Exception {
    TestSwarm.removeAll(api, STACK);
    api.close();
  }

  private SwarmStackLoader loader() throws Exception {
    SopsDecryptor sops =
        new SopsDecryptor(
            AgeKeys.parse(new String(fixture("age-key.txt"), StandardCharsets.UTF_8), "key"));
    return new SwarmStackLoader(STACK, STACK, Map.of(), sops);
  }

  @Test
  void aRunningTaskReadsTheDecryptedSecretAndEnvVariable() throws Exception {
    SwarmStackLoader loader = loader();
    SwarmTarget target = new SwarmTarget(STACK, STACK, api, loader, new SwarmDiffer());
    DesiredState desired = loader.load(repo, ".", REVISION);
    Plan plan =
        Planner.plan(
            Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
            target,
            target.applyOrder());
    target.awaitHealthy(plan, target.apply(plan, REVISION, true), Duration.ofSeconds(60));

    String container =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    TestSwarm.docker(
                        "ps",
                        "-q",
                        "--filter",
                        "label=com.docker.swarm.service.name=" + STACK + "_app"),
                id -> !id.isBlank());
    assertThat(TestSwarm.docker("exec", container, "busybox", "cat", "/run/secrets/token"))
        .isEqualTo("value");
    assertThat(TestSwarm.docker("exec", container, "busybox", "env")).contains("key=value");
    assertThat(Files.readString(repo.resolve("file.txt"))).contains("ENC[AES256_GCM");
  }

  @Test
  void aSecretEncryptedAgainWithTheSamePlainTextKeepsItsName() throws Exception {
    List<ObjectKey> before = secrets(loader().load(repo, ".", REVISION));
    Files.writeString(
        repo.resolve("file.txt"),
        new SopsTestEncryptor(
                List.of("age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29"))
            .binary("value"));
    assertThat(Files.readAllBytes(repo.resolve("file.txt"))).isNotEqualTo(fixture("file.txt"));

    assertThat(secrets(loader().load(repo, ".", REVISION))).isEqualTo(before).hasSize(1);

    Files.writeString(
        repo.resolve("file.txt"),
        new SopsTestEncryptor(
                List.of("age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29"))
            .binary("another value"));
    assertThat(secrets(loader().load(repo, ".", REVISION))).isNotEqualTo(before);
  }

  private static List<ObjectKey> secrets(DesiredState state) {
    return state.objects().keySet().stream().filter(k -> k.kind().equals("Secret")).toList();
  }
}
