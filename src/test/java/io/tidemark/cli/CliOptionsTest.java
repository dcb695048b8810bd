package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.config.TidemarkConfig.TargetKind;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.SignaturePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliOptionsTest {

  @Test
  void optionsTakeSpaceOrEqualsAndVarsRepeat() throws Exception {
    CliOptions options =
        CliOptions.parse(
            List.of(
                "diff",
                "--repo=.",
                "--kind",
                "Swarm",
                "--stack=platform",
                "--var",
                "A=1",
                "--var=B=x=y",
                "--health-timeout",
                "90s",
                "--output=json",
                "--no-color"));

    assertThat(options.command()).isEqualTo(CliOptions.Command.PLAN);
    assertThat(options.kind()).isEqualTo(TargetKind.SWARM);
    assertThat(options.name()).isEqualTo("platform");
    assertThat(options.stack()).isEqualTo("platform");
    assertThat(options.variables()).isEqualTo(Map.of("A", "1", "B", "x=y"));
    assertThat(options.healthTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(options.output()).isEqualTo(CliOptions.Output.JSON);
    assertThat(options.noColor()).isTrue();
    assertThat(options.prune()).isFalse();
    assertThat(options.path()).isEqualTo(".");
  }

  @Test
  void theTargetNameDefaultsToTheStackElseCliAndTheStackToTheName() throws Exception {
    assertThat(CliOptions.parse(List.of("plan", "--repo", ".", "--kind", "kubernetes")).name())
        .isEqualTo("cli");
    CliOptions named =
        CliOptions.parse(List.of("apply", "--repo", ".", "--kind", "swarm", "--name", "web"));
    assertThat(named.stack()).isEqualTo("web");
    assertThat(named.command()).isEqualTo(CliOptions.Command.APPLY);
  }

  @Test
  void mistakesAreRefusedWithAReason() {
    assertThatThrownBy(() -> CliOptions.parse(List.of("plan", "--repo", ".", "--kind", "nomad")))
        .hasMessage("--kind must be swarm or kubernetes, not 'nomad'");
    assertThatThrownBy(() -> CliOptions.parse(List.of("plan", "--repo", ".", "--kind")))
        .hasMessage("--kind needs a value");
    assertThatThrownBy(
            () -> CliOptions.parse(List.of("plan", "--repo", ".", "--kind", "swarm", "--var", "X")))
        .hasMessage("--var takes KEY=VALUE, not 'X'");
    assertThatThrownBy(
            () ->
                CliOptions.parse(List.of("plan", "--repo", ".", "--repo", "..", "--kind", "swarm")))
        .hasMessage("--repo is given twice");
    assertThatThrownBy(
            () ->
                CliOptions.parse(
                    List.of("plan", "--repo", ".", "--kind", "swarm", "--health-timeout", "soon")))
        .hasMessageStartingWith("not a duration: 'soon'");
  }

  @Test
  void signaturesAreOffByDefaultAndRequireNeedsATrustedKeyFile() throws Exception {
    List<String> base = List.of("plan", "--repo", ".", "--kind", "swarm");
    assertThat(CliOptions.parse(base).signatures()).isEqualTo(SignaturePolicy.off());

    CliOptions required =
        CliOptions.parse(
            concat(
                base,
                "--signatures",
                "require",
                "--allowed-signers-file",
                "/etc/tidemark/allowed_signers",
                "--openpgp-keys-file=/etc/tidemark/keys.asc"));
    assertThat(required.signatures().required()).isTrue();
    assertThat(required.signatures().allowedSignersFile())
        .contains(Path.of("/etc/tidemark/allowed_signers"));
    assertThat(required.signatures().openPgpKeysFile()).contains(Path.of("/etc/tidemark/keys.asc"));

    assertThatThrownBy(() -> CliOptions.parse(concat(base, "--signatures", "require")))
        .hasMessage("--signatures require needs --allowed-signers-file or --openpgp-keys-file");
    assertThatThrownBy(() -> CliOptions.parse(concat(base, "--openpgp-keys-file", "k.asc")))
        .hasMessage("--allowed-signers-file and --openpgp-keys-file need --signatures require");
    assertThatThrownBy(() -> CliOptions.parse(concat(base, "--signatures", "maybe")))
        .hasMessage("--signatures must be off or require, not 'maybe'");
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  void aRefNamesABranchATagOrACommit() {
    assertThat(OneShot.refOf("main")).isEqualTo(FollowedRef.branch("main"));
    assertThat(OneShot.refOf("refs/heads/release/1.x"))
        .isEqualTo(FollowedRef.branch("release/1.x"));
    assertThat(OneShot.refOf("tags/v1.2")).isEqualTo(FollowedRef.tag("v1.2"));
    assertThat(OneShot.refOf("refs/tags/v1.2")).isEqualTo(FollowedRef.tag("v1.2"));
    assertThat(OneShot.refOf("3f2a1b4")).isEqualTo(FollowedRef.commit("3f2a1b4"));
  }

  @Test
  void exitCodesFollowTheResult() {
    assertThat(Cli.exitCode(io.tidemark.report.RunResult.IN_SYNC)).isEqualTo(0);
    assertThat(Cli.exitCode(io.tidemark.report.RunResult.APPLIED)).isEqualTo(0);
    assertThat(Cli.exitCode(io.tidemark.report.RunResult.DRIFT_DETECTED)).isEqualTo(2);
    for (var failed :
        List.of(
            io.tidemark.report.RunResult.APPLY_FAILED,
            io.tidemark.report.RunResult.INVALID_REVISION,
            io.tidemark.report.RunResult.SOURCE_FAILED,
            io.tidemark.report.RunResult.TARGET_UNREACHABLE)) {
      assertThat(Cli.exitCode(failed)).isEqualTo(1);
    }
  }
}
