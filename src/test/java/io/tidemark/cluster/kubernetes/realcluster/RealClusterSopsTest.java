package io.tidemark.cluster.kubernetes.realcluster;

import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.KUBECONFIG;
import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemark.cluster.kubernetes.ControllerManagers;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.desired.sops.SopsTestEncryptor;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SOPS-encrypted Secret manifests on a real API server (opt-in, as {@link RealClusterTest}): the
 * file the real sops 3.9 wrote and a multi-document file with {@code data} and {@code stringData},
 * applied with the age key held in memory. The live Secrets hold the decrypted values, the next
 * plan is clean, and a value changed out of band with kubectl is drift shown only as a hash.
 */
class RealClusterSopsTest {

  private static final RevisionInfo REVISION = new RevisionInfo("c0ffee", "it", "m", null);
  private static final String RECIPIENT =
      "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";
  private static final String OUT_OF_BAND = "changed-live-by-kubectl";

  @TempDir Path repo;
  private String namespace;
  private KubernetesTarget target;

  @BeforeAll
  static void aClusterIsNamed() {
    assumeTrue(KUBECONFIG != null && !KUBECONFIG.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
  }

  private static String fixture(String name) throws Exception {
    try (InputStream in = RealClusterSopsTest.class.getResourceAsStream("/fixtures/sops/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void namespace() throws Exception {
    namespace = "tm-it-sops-" + UUID.randomUUID().toString().substring(0, 8);
    target =
        new KubernetesTarget(
            namespace,
            namespace,
            Fabric8KubeApi.connect(Optional.of(KUBECONFIG), Optional.empty()),
            folder -> "",
            Duration.ofMillis(500),
            Duration.ofSeconds(60),
            ControllerManagers.defaults(),
            new SopsDecryptor(AgeKeys.parse(fixture("age-key.txt"), "age-key.txt")));
    write(
        "00-namespace.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + namespace + "}\n");
    // Written by the real sops 3.9: Secret "age", no namespace (the target's), stringData.key.
    write("secret.yaml", fixture("secret.yaml"));
    write(
        "db.yaml",
        new SopsTestEncryptor(List.of(RECIPIENT))
            .yamlDocuments(
                """
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: %1$s}
                type: Opaque
                data:
                  password: %2$s
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: api, namespace: %1$s}
                stringData:
                  token: api-token-plain
                """
                    .formatted(namespace, base64("db-password-plain")),
                "^(data|stringData)$"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (namespace != null && KUBECONFIG != null) {
      kubectl("delete", "namespace", namespace, "--wait=false", "--ignore-not-found");
    }
  }

  @Test
  void liveSecretsHoldTheDecryptedValuesAndAnOutOfBandChangeIsMaskedDrift() throws Exception {
    assertThat(Files.readString(repo.resolve("db.yaml"))).doesNotContain("db-password-plain");

    ApplyResult applied = target.apply(plan(), REVISION, true);

    assertThat(applied.results()).noneMatch(r -> r.failed());
    assertThat(liveValue("age", "key")).isEqualTo("value");
    assertThat(liveValue("db", "password")).isEqualTo("db-password-plain");
    assertThat(liveValue("api", "token")).isEqualTo("api-token-plain");
    assertThat(kubectl("-n", namespace, "get", "secret/age", "-o", "yaml"))
        .doesNotContain("ENC[AES256_GCM", "lastmodified");
    assertThat(plan().writes()).as("zero drift right after apply").isEmpty();

    kubectl(
        "-n",
        namespace,
        "patch",
        "secret/age",
        "--type=merge",
        "-p",
        "{\"stringData\":{\"key\":\"" + OUT_OF_BAND + "\"}}");
    Plan drifted = plan();

    List<FieldDiff> diffs = diffs(drifted);
    assertThat(diffs).extracting(FieldDiff::path).containsExactly("data.key");
    FieldDiff diff = diffs.get(0);
    assertThat(String.valueOf(diff.desired())).startsWith("<secret sha256:");
    assertThat(String.valueOf(diff.live())).startsWith("<secret sha256:");
    assertThat(diffs.toString()) // what reports, the page and notifications are made of
        .doesNotContain(OUT_OF_BAND, base64(OUT_OF_BAND), base64("value"));
    target.apply(drifted, REVISION, true);
    assertThat(liveValue("age", "key")).isEqualTo("value");
    assertThat(plan().writes()).isEmpty();
  }

  private Plan plan() throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  private static List<FieldDiff> diffs(Plan plan) {
    List<FieldDiff> out = new ArrayList<>();
    for (Change change : plan.writes()) {
      out.addAll(change.diffs());
    }
    return out;
  }

  private String liveValue(String secret, String key) throws Exception {
    String encoded =
        kubectl("-n", namespace, "get", "secret/" + secret, "-o", "jsonpath={.data." + key + "}");
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  private static String base64(String plain) {
    return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private void write(String file, String text) throws Exception {
    Files.writeString(repo.resolve(file), text);
  }
}
