package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line builds a Kubernetes target from a kubeconfig; an unreachable one exits 1. */
class CliKubernetesTest {

  @TempDir Path dir;

  @Test
  void aPlanAgainstAnUnreachableApiServerExitsOneAndSaysTheClusterFailed() throws Exception {
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters:
            - name: dead
              cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
            users:
            - name: u
              user: {token: not-a-real-token}
            contexts:
            - name: dead
              context: {cluster: dead, user: u}
            current-context: dead
            """);
    Files.createDirectories(dir.resolve("manifests"));
    Files.writeString(
        dir.resolve("manifests/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: \"1\"\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code =
        new Cli(Map.of(), false)
            .run(
                new String[] {
                  "plan",
                  "--repo",
                  dir.toString(),
                  "--path",
                  "manifests",
                  "--kind",
                  "kubernetes",
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--namespace",
                  "apps"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isEqualTo(Cli.ERROR);
    assertThat(text).contains("result:   TARGET_UNREACHABLE").contains("cluster: ");
    assertThat(text).doesNotContain("not-a-real-token");
  }
}
