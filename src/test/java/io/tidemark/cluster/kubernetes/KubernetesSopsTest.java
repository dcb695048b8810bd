package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kubernetes folder holding the Secret manifests the real sops 3.9 and 3.10 wrote (each for its
 * own age key) reconciles through fabric8 over HTTP, on fabric8's mock server with the apply it
 * lacks ({@link ApplyingCrudDispatcher}): the stored Secrets hold the decrypted data and no SOPS
 * metadata, the next plan is clean, and a value changed out of band is drift shown as a hash.
 */
class KubernetesSopsTest {

  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "a", "m", null);

  @TempDir Path repo;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private KubernetesTarget target;

  private static String fixture(String name) throws Exception {
    try (InputStream in = KubernetesSopsTest.class.getResourceAsStream("/fixtures/sops/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new ApplyingCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
    // The two fixtures are encrypted for different keys: Tidemark holds both.
    AgeKeys keys =
        AgeKeys.parse(fixture("age-key.txt") + "\n" + fixture("age-key-2.txt"), "key file");
    target =
        new KubernetesTarget(
            "sops",
            "sops",
            new Fabric8KubeApi(client),
            folder -> "",
            Duration.ofMillis(10),
            Duration.ofSeconds(5),
            ControllerManagers.defaults(),
            new SopsDecryptor(keys));
    Files.writeString(repo.resolve("secret.yaml"), fixture("secret.yaml"));
    Files.writeString(repo.resolve("secret-2.yaml"), fixture("secret-2.yaml"));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void encryptedSecretsAreStoredDecryptedAndAnOutOfBandChangeIsMaskedDrift() throws Exception {
    Plan first = plan();
    assertThat(first.writes()).extracting(c -> c.key().name()).contains("age", "global-age-secret");

    ApplyResult applied = target.apply(first, REVISION, true);

    assertThat(applied.results()).noneMatch(r -> r.failed());
    Secret age = client.secrets().inNamespace("sops").withName("age").get();
    Secret global = client.secrets().inNamespace("default").withName("global-age-secret").get();
    assertThat(decoded(age, "key")).isEqualTo("value");
    assertThat(decoded(global, "key")).isEqualTo("global-value");
    assertThat(age.getAdditionalProperties()).doesNotContainKey("sops");
    assertThat(client.getKubernetesSerialization().asJson(age)).doesNotContain("ENC[", "mac");
    assertThat(plan().writes()).as("zero drift right after apply").isEmpty();

    client
        .secrets()
        .inNamespace("sops")
        .withName("age")
        .edit(s -> s.edit().addToData("key", base64("changed-out-of-band")).build());
    Plan drifted = plan();

    List<FieldDiff> diffs = new ArrayList<>();
    for (Change change : drifted.writes()) {
      diffs.addAll(change.diffs());
    }
    assertThat(diffs).extracting(FieldDiff::path).containsExactly("data.key");
    assertThat(String.valueOf(diffs.get(0).desired())).startsWith("<secret sha256:");
    assertThat(String.valueOf(diffs.get(0).live())).startsWith("<secret sha256:");
    assertThat(diffs.toString()) // what reports, the page and notifications are made of
        .doesNotContain("changed-out-of-band", base64("changed-out-of-band"), base64("value"));
    target.apply(drifted, REVISION, true);
    assertThat(decoded(client.secrets().inNamespace("sops").withName("age").get(), "key"))
        .isEqualTo("value");
    assertThat(plan().writes()).isEmpty();
  }

  private Plan plan() throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static String base64(String plain) {
    return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }
}
