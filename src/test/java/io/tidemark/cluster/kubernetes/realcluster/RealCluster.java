package io.tidemark.cluster.kubernetes.realcluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the opt-in real-cluster tests share: the cluster they run on ({@code
 * TIDEMARK_IT_KUBECONFIG}; they are skipped without it) and {@code kubectl} ({@code
 * TIDEMARK_IT_KUBECTL}, else the one on {@code PATH}) for the edits a person would make out of
 * band.
 */
final class RealCluster {

  static final String KUBECONFIG = System.getenv("TIDEMARK_IT_KUBECONFIG");
  static final String KUBECTL =
      Optional.ofNullable(System.getenv("TIDEMARK_IT_KUBECTL")).orElse("kubectl");

  private RealCluster() {}

  /** Runs kubectl on the test cluster; its output, trimmed, or an exception naming the command. */
  static String kubectl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(KUBECTL, "--kubeconfig", KUBECONFIG));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + out);
    }
    return out.trim();
  }
}
