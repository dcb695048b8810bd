package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cli.CliRuns;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.JGitSource;
import io.tidemark.source.SignaturePolicy;
import io.tidemark.testing.SigningGit;
import io.tidemark.testing.SigningGit.SshKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures required, end to end on the real swarm: a commit signed by an allowed SSH key (made by
 * the real git and ssh-keygen) is applied; an unsigned one pushed after it is refused with the
 * report saying why, and the swarm keeps (and is healed back to) the last trusted revision; the
 * command line refuses it too.
 */
class SignedCommitsSwarmTest {

  private static final String STACK = "signing";
  private static final String SERVICE = STACK + "_api";

  @TempDir Path dir;
  private SigningGit git;
  private SshKey alice;
  private Path allowedSigners;
  private DockerApi api;
  private JGitSource source;

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK + "_");
    git = SigningGit.create(dir.resolve("git"));
    alice = git.sshKey("alice", "ed25519");
    allowedSigners =
        Files.writeString(
            dir.resolve("allowed_signers"), "alice@example.com " + alice.publicLine() + "\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.close();
    }
    if (api != null) {
      TestSwarm.removeAll(api, STACK + "_");
      api.close();
    }
    if (git != null) {
      git.close();
    }
  }

  private static String stack(int replicas) {
    return """
        services:
          api:
            image: %s
            command: ["sleep", "3600"]
            deploy:
              replicas: %d
        """
        .formatted(TestSwarm.IMAGE, replicas);
  }

  private TargetReconciler reconciler() {
    source =
        new JGitSource(
            GitSettings.of(git.url(), FollowedRef.branch("main"), dir.resolve("data")),
            SignaturePolicy.require(allowedSigners, null));
    TargetSettings settings =
        new TargetSettings(
            STACK, "swarm", "swarm", Mode.APPLY, true, Duration.ofHours(1), Duration.ofSeconds(60));
    SwarmTarget target =
        new SwarmTarget(
            STACK, STACK, api, new SwarmStackLoader(STACK, STACK, Map.of()), new SwarmDiffer());
    return new TargetReconciler(settings, target, source, new RunListener() {}, Clock.systemUTC());
  }

  private static String replicas() {
    return TestSwarm.docker(
        "service", "inspect", SERVICE, "--format", "{{.Spec.Mode.Replicated.Replicas}}");
  }

  @Test
  void aSignedCommitIsAppliedAndAnUnsignedOneAfterItIsRefusedWhileTheTrustedOneStaysLive()
      throws Exception {
    String signed = git.write("swarm/docker-stack.yml", stack(2)).commitSsh("two", alice);
    git.push();
    TargetReconciler reconciler = reconciler();

    DriftReport applied = reconciler.reconcile(Trigger.cli());
    assertThat(applied.result()).as(applied.toString()).isEqualTo(RunResult.APPLIED);
    assertThat(applied.revision().commit()).isEqualTo(signed);
    assertThat(replicas()).isEqualTo("2");

    String unsigned = git.write("swarm/docker-stack.yml", stack(5)).commit("five, unsigned");
    git.push();
    TestSwarm.docker("service", "scale", "--detach", SERVICE + "=4");
    DriftReport refused = reconciler.reconcile(Trigger.cli());

    assertThat(refused.errors())
        .containsExactly(
            "git: commit "
                + unsigned
                + " (\"five, unsigned\" by Platform Team) is refused: signed by nobody (unsigned);"
                + " the commit is not signed");
    assertThat(refused.note())
        .contains(
            "Revision "
                + unsigned.substring(0, 12)
                + " is not signed by a trusted key and was refused; reconciling the last trusted"
                + " revision "
                + signed.substring(0, 12));
    assertThat(refused.revision().commit()).isEqualTo(signed);
    // The out-of-band scale is undone towards the trusted revision, never the unsigned one.
    assertThat(refused.result()).isEqualTo(RunResult.APPLIED);
    assertThat(replicas()).isEqualTo("2");
    assertThat(
            TestSwarm.docker(
                "service",
                "inspect",
                SERVICE,
                "--format",
                "{{index .Spec.Labels \"io.tidemark/commit\"}}"))
        .isEqualTo(signed);
  }

  @Test
  void withNoTrustedRevisionYetAnUnsignedHeadIsAnInvalidRevisionAndNothingIsCreated()
      throws Exception {
    String unsigned = git.write("swarm/docker-stack.yml", stack(1)).commit("unsigned");
    git.push();

    DriftReport report = reconciler().reconcile(Trigger.cli());

    assertThat(report.result()).isEqualTo(RunResult.INVALID_REVISION);
    assertThat(report.revision().commit()).isEqualTo(unsigned);
    assertThat(report.errors()).singleElement().asString().contains("signed by nobody");
    assertThat(TestSwarm.docker("service", "ls", "--format", "{{.Name}}")).doesNotContain(SERVICE);
  }

  @Test
  void theCommandLineAppliesASignedCommitAndRefusesAnUnsignedOne() throws Exception {
    String signed = git.write("swarm/docker-stack.yml", stack(1)).commitSsh("one", alice);
    git.push();
    String[] trust = {
      "--signatures", "require", "--allowed-signers-file", allowedSigners.toString()
    };

    CliRuns.Run applied = CliRuns.apply(git.url(), "swarm", STACK, trust);
    assertThat(applied.code()).as(applied.out() + applied.err()).isZero();
    assertThat(applied.out()).contains("result:   APPLIED").contains(signed.substring(0, 12));

    String unsigned = git.write("swarm/docker-stack.yml", stack(3)).commit("three, unsigned");
    git.push();
    CliRuns.Run refused = CliRuns.apply(git.url(), "swarm", STACK, trust);

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out())
        .contains("result:   INVALID_REVISION")
        .contains("git: commit " + unsigned + " (\"three, unsigned\" by Platform Team) is refused")
        .contains("signed by nobody (unsigned); the commit is not signed");
    assertThat(replicas()).isEqualTo("1");
  }
}
