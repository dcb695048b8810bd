package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.testing.GitFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against the real swarm (DOCKER_HOST), run in-process: plan, apply, plan again,
 * out-of-band drift, invalid input, bad arguments, an unreachable engine and a Git URL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliSwarmTest {

  static final String STACK = "tmcli";

  @TempDir static Path dir;

  /** What one run printed, and its exit code. */
  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Cli(Map.of(), false)
            .run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run onStack(String command, Path repo, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "--repo", repo.toString()));
    args.addAll(List.of("--path", "stack", "--kind", "swarm", "--stack", STACK));
    args.addAll(List.of("--health-timeout", "60s"));
    args.addAll(List.of(more));
    return cli(args.toArray(String[]::new));
  }

  static String stack(int replicas, boolean worker) {
    String web =
        """
        services:
          web:
            image: %s
            command: ["sleep", "3600"]
            environment:
              GREETING: ${GREETING:-hello}
            deploy:
              replicas: %d
        """
            .formatted(TestSwarm.IMAGE, replicas);
    String extra =
        """
          worker:
            image: %s
            command: ["sleep", "3600"]
        """
            .formatted(TestSwarm.IMAGE);
    return worker ? web + extra : web;
  }

  static void write(Path repo, String content) throws Exception {
    Files.createDirectories(repo.resolve("stack"));
    Files.writeString(repo.resolve("stack/docker-stack.yml"), content);
  }

  @BeforeAll
  static void cleanSlate() throws Exception {
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
    write(dir.resolve("repo"), stack(1, true));
  }

  @AfterAll
  static void removeStack() throws Exception {
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
  }

  private static String inspect(String service, String format) {
    return TestSwarm.docker("service", "inspect", service, "--format", format);
  }

  @Test
  @Order(1)
  void aPlanWithNothingDeployedExitsTwoAndListsEveryCreate() {
    Run run = onStack("plan", dir.resolve("repo"));

    assertThat(run.code()).as(run.err()).isEqualTo(Cli.DRIFT);
    assertThat(run.out())
        .contains("result:   DRIFT_DETECTED")
        .contains("CREATE Service/tmcli_web")
        .contains("CREATE Service/tmcli_worker")
        .contains("CREATE Network/tmcli_default")
        .contains("+++ desired Service/tmcli_web (stack/docker-stack.yml:")
        .contains("Plan: 3 to create, 0 to update, 0 to delete, 0 conflicts, 0 in sync");
    assertThat(TestSwarm.docker("service", "ls", "--format", "{{.Name}}")).doesNotContain("tmcli_");
  }

  @Test
  @Order(2)
  void applyCreatesTheStackWithOwnershipAndExitsZero() {
    Run run = onStack("apply", dir.resolve("repo"), "--var", "GREETING=hi");

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(Cli.OK);
    assertThat(run.out()).contains("result:   APPLIED").contains("=> created, health healthy");
    assertThat(inspect("tmcli_web", "{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("1");
    assertThat(inspect("tmcli_web", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
        .contains("GREETING=hi");
    assertThat(inspect("tmcli_web", "{{index .Spec.Labels \"io.tidemark/target\"}}"))
        .isEqualTo(STACK);
    assertThat(inspect("tmcli_web", "{{index .Spec.Labels \"io.tidemark/commit\"}}"))
        .isEqualTo("local");
  }

  @Test
  @Order(3)
  void aPlanRightAfterTheApplyExitsZero() {
    Run run = onStack("diff", dir.resolve("repo"), "--var", "GREETING=hi");

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("result:   IN_SYNC")
        .contains("Plan: 0 to create, 0 to update, 0 to delete, 0 conflicts, 3 in sync");
  }

  @Test
  @Order(4)
  void anOutOfBandScaleMakesThePlanExitTwoWithBothValues() throws Exception {
    TestSwarm.docker("service", "scale", "--detach", "tmcli_web=3");

    Run text = onStack("plan", dir.resolve("repo"), "--var", "GREETING=hi");
    Run json = onStack("plan", dir.resolve("repo"), "--var", "GREETING=hi", "--output", "json");

    assertThat(text.code()).isEqualTo(Cli.DRIFT);
    assertThat(text.out())
        .contains("UPDATE Service/tmcli_web")
        .contains("- Mode.Replicated.Replicas: 3\n+ Mode.Replicated.Replicas: 1\n");
    assertThat(json.code()).isEqualTo(Cli.DRIFT);
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertThat(report.get("result").asText()).isEqualTo("DRIFT_DETECTED");
    assertThat(report.get("trigger").get("source").asText()).isEqualTo("CLI");
    JsonNode web = null;
    for (JsonNode object : report.get("objects")) {
      if (object.get("key").asText().equals("Service/tmcli_web")) {
        web = object;
      }
    }
    assertThat(web).isNotNull();
    assertThat(web.get("diffs").toString())
        .isEqualTo("[{\"path\":\"Mode.Replicated.Replicas\",\"desired\":1,\"live\":3}]");
  }

  @Test
  @Order(5)
  void ignoreRulesGivenOnTheCommandLineHideTheScaleAndKeepAnEnvEntryWhenApplying() {
    TestSwarm.docker("service", "update", "--detach", "--env-add", "EXTRA=1", "tmcli_web");
    String rule =
        "Service:tmcli_*:Mode.Replicated.Replicas,TaskTemplate.ContainerSpec.Env[name=EXTRA]";

    Run plan = onStack("plan", dir.resolve("repo"), "--var", "GREETING=hi", "--ignore", rule);
    assertThat(plan.code()).as(plan.out() + plan.err()).isEqualTo(Cli.OK);
    assertThat(plan.out())
        .contains("result:   IN_SYNC")
        .contains("Ignored: Service/tmcli_web Mode.Replicated.Replicas (--ignore[0], differs live)")
        .contains(
            "Ignored: Service/tmcli_web TaskTemplate.ContainerSpec.Env[name=EXTRA]"
                + " (--ignore[0], differs live)");

    // A change Git makes is written; the ignored fields stay as they are live.
    Run apply =
        onStack("apply", dir.resolve("repo"), "--var", "GREETING=changed", "--ignore=" + rule);
    assertThat(apply.code()).as(apply.out() + apply.err()).isEqualTo(Cli.OK);
    assertThat(apply.out()).contains("UPDATE Service/tmcli_web");
    assertThat(inspect("tmcli_web", "{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("3");
    assertThat(inspect("tmcli_web", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
        .contains("GREETING=changed", "EXTRA=1");

    Run bad = onStack("plan", dir.resolve("repo"), "--ignore", "Service:*");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--ignore takes KIND:NAME:PATH[,PATH...]");
  }

  @Test
  @Order(6)
  void applyWithoutPruneKeepsAServiceThatLeftTheFolderAndWithPruneDeletesIt() throws Exception {
    write(dir.resolve("repo"), stack(1, false));

    Run plan = onStack("plan", dir.resolve("repo"), "--var", "GREETING=hi");
    Run kept = onStack("apply", dir.resolve("repo"), "--var", "GREETING=hi");

    assertThat(plan.code()).isEqualTo(Cli.DRIFT);
    assertThat(plan.out())
        .contains("DELETE Service/tmcli_worker")
        .contains("UPDATE Service/tmcli_web");
    assertThat(kept.code()).as(kept.out() + kept.err()).isEqualTo(Cli.OK);
    assertThat(inspect("tmcli_web", "{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("1");
    assertThat(TestSwarm.docker("service", "ls", "--format", "{{.Name}}")).contains("tmcli_worker");

    Run pruned = onStack("apply", dir.resolve("repo"), "--var", "GREETING=hi", "--prune");

    assertThat(pruned.code()).as(pruned.out() + pruned.err()).isEqualTo(Cli.OK);
    assertThat(pruned.out()).contains("DELETE Service/tmcli_worker").contains("=> deleted");
    assertThat(TestSwarm.docker("service", "ls", "--format", "{{.Name}}"))
        .doesNotContain("tmcli_worker");
  }

  @Test
  @Order(7)
  void anInvalidStackFileExitsOneWithFileAndLine() throws Exception {
    Path broken = dir.resolve("broken");
    write(broken, "services:\n  web:\n    image: [unclosed\n    command: sleep\n");

    Run run = onStack("plan", broken);

    assertThat(run.code()).isEqualTo(Cli.ERROR);
    assertThat(run.out())
        .contains("result:   INVALID_REVISION")
        .containsPattern("stack/docker-stack\\.yml:\\d+: ");
  }

  @Test
  @Order(8)
  void aGitUrlIsClonedAtTheRefAndItsCommitReported() throws Exception {
    GitFixture repo = GitFixture.create(dir.resolve("git"));
    String commit =
        repo.write("stack/docker-stack.yml", stack(1, false)).commitAndPush("web only, 1 replica");

    Run run =
        cli(
            "plan",
            "--repo",
            repo.url(),
            "--ref",
            "main",
            "--path",
            "stack",
            "--kind",
            "swarm",
            "--stack",
            STACK,
            "--var",
            "GREETING=hi");

    assertThat(run.code()).as(run.out() + run.err()).isEqualTo(Cli.OK);
    assertThat(run.out())
        .contains("revision: " + commit.substring(0, 12) + "  Platform Team")
        .contains("\"web only, 1 replica\"");
    Run missing =
        cli("plan", "--repo", repo.url(), "--ref", "nope", "--kind", "swarm", "--stack", STACK);
    assertThat(missing.code()).isEqualTo(Cli.ERROR);
    assertThat(missing.err()).contains("not found");
  }

  @Test
  @Order(9)
  void anUnreachableEngineExitsOne() {
    Run run = onStack("plan", dir.resolve("repo"), "--docker-host", "tcp://127.0.0.1:1");

    assertThat(run.code()).isEqualTo(Cli.ERROR);
    assertThat(run.out()).contains("result:   TARGET_UNREACHABLE").contains("cluster: ");
  }

  @Test
  void badArgumentsExitOneWithTheUsage() {
    Run noKind = cli("plan", "--repo", ".");
    Run unknown = cli("plan", "--repo", ".", "--kind", "swarm", "--colour");
    Run noCommand = cli("deploy");
    Run noRepo = cli("plan", "--repo", "/no/such/folder", "--kind", "swarm");

    assertThat(noKind.code()).isEqualTo(Cli.ERROR);
    assertThat(noKind.err()).contains("--kind is required").contains("Usage: tidemark");
    assertThat(unknown.err()).contains("unknown option --colour");
    assertThat(noCommand.err()).contains("unknown command 'deploy'");
    assertThat(noRepo.code()).isEqualTo(Cli.ERROR);
    assertThat(noRepo.err()).contains("neither an existing folder nor a Git URL");
    assertThat(noKind.out() + unknown.out() + noCommand.out()).isEmpty();
  }
}
