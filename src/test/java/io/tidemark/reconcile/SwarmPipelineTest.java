package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ObjectReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.JGitSource;
import io.tidemark.testing.GitFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline without the service around it: a real repository over file://, the real swarm,
 * detect mode and apply mode on the same target, and bad input that must change nothing.
 */
class SwarmPipelineTest {

  private static final String STACK = "tmpipe";
  private static final String SERVICE = STACK + "_api";

  @TempDir Path dir;
  private GitFixture repo;
  private DockerApi api;
  private JGitSource source;

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    repo = GitFixture.create(dir.resolve("git"));
    repo.write("swarm/docker-stack.yml", stack("3")).commitAndPush("api with 3 replicas");
    source =
        new JGitSource(GitSettings.of(repo.url(), FollowedRef.branch("main"), dir.resolve("data")));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (api != null) {
      TestSwarm.removeAll(api, STACK);
      api.close();
    }
    if (source != null) {
      source.close();
    }
    if (repo != null) {
      repo.close();
    }
  }

  private static String stack(String replicas) {
    return """
        services:
          api:
            image: %s
            command: ["sleep", "3600"]
            environment:
              - LOG_LEVEL=info
            deploy:
              replicas: %s
        """
        .formatted(TestSwarm.IMAGE, replicas);
  }

  private DriftReport reconcile(Mode mode) {
    TargetSettings settings =
        new TargetSettings(
            "pipe", "swarm", "swarm", mode, true, Duration.ofHours(1), Duration.ofSeconds(60));
    SwarmTarget target =
        new SwarmTarget(
            "pipe", STACK, api, new SwarmStackLoader("pipe", STACK, Map.of()), new SwarmDiffer());
    return new TargetReconciler(settings, target, source, new RunListener() {}, Clock.systemUTC())
        .reconcile(Trigger.cli());
  }

  private static ObjectReport service(DriftReport report) {
    return report.objects().stream()
        .filter(o -> o.name().equals(SERVICE))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void detectModeReportsEverythingAndWritesNothing() {
    DriftReport report = reconcile(Mode.DETECT);

    assertThat(report.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    assertThat(service(report).change()).isEqualTo(ChangeType.CREATE);
    assertThat(report.applied()).isFalse();
    assertThat(TestSwarm.docker("service", "ls", "--filter", "name=" + SERVICE, "-q")).isEmpty();
  }

  @Test
  void anOutOfBandChangeIsReportedInDetectModeAndUndoneInApplyMode() {
    DriftReport applied = reconcile(Mode.APPLY);
    assertThat(applied.result()).as(applied.toString()).isEqualTo(RunResult.APPLIED);
    TestSwarm.docker("service", "scale", "--detach", SERVICE + "=5");
    TestSwarm.docker("service", "update", "--detach", "--env-add", "DEBUG=1", SERVICE);

    DriftReport detected = reconcile(Mode.DETECT);
    assertThat(detected.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    assertThat(service(detected).diffs())
        .extracting(d -> d.path() + ": " + d.desired() + " -> " + d.live())
        .containsExactlyInAnyOrder(
            "Mode.Replicated.Replicas: 3 -> 5", "TaskTemplate.ContainerSpec.Env.DEBUG: null -> 1");
    assertThat(
            TestSwarm.docker(
                "service", "inspect", SERVICE, "--format", "{{.Spec.Mode.Replicated.Replicas}}"))
        .isEqualTo("5");

    DriftReport repaired = reconcile(Mode.APPLY);
    assertThat(repaired.result()).isEqualTo(RunResult.APPLIED);
    assertThat(
            TestSwarm.docker(
                "service", "inspect", SERVICE, "--format", "{{.Spec.Mode.Replicated.Replicas}}"))
        .isEqualTo("3");
    assertThat(
            TestSwarm.docker(
                "service",
                "inspect",
                SERVICE,
                "--format",
                "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
        .doesNotContain("DEBUG");
    assertThat(reconcile(Mode.APPLY).result()).isEqualTo(RunResult.IN_SYNC);
  }

  @Test
  void aChangedConfigOrSecretIsANewObjectTheServiceMovesToAndTheOldOneIsRemoved() throws Exception {
    String withFiles =
        """
        services:
          api:
            image: %s
            command: ["sleep", "3600"]
            configs:
              - source: app
                target: /etc/app.conf
            secrets:
              - db_password
        configs:
          app:
            file: ./app.conf
        secrets:
          db_password:
            file: ./db_password.txt
        """
            .formatted(TestSwarm.IMAGE);
    repo.write("swarm/docker-stack.yml", withFiles)
        .write("swarm/app.conf", "level=info\n")
        .write("swarm/db_password.txt", "first-hunter2")
        .commitAndPush("api with a config and a secret");
    assertThat(reconcile(Mode.APPLY).result()).isEqualTo(RunResult.APPLIED);
    String firstConfig =
        TestSwarm.docker(
            "config", "ls", "--filter", "name=" + STACK + "_app", "--format", "{{.Name}}");
    assertThat(firstConfig).startsWith(STACK + "_app-");

    repo.write("swarm/app.conf", "level=debug\n")
        .write("swarm/db_password.txt", "second-swordfish")
        .commitAndPush("rotate config and secret");
    DriftReport rotated = reconcile(Mode.APPLY);

    assertThat(rotated.result()).isEqualTo(RunResult.APPLIED);
    String secondConfig =
        TestSwarm.docker(
            "config", "ls", "--filter", "name=" + STACK + "_app", "--format", "{{.Name}}");
    assertThat(secondConfig).startsWith(STACK + "_app-").isNotEqualTo(firstConfig);
    assertThat(
            TestSwarm.docker(
                    "secret",
                    "ls",
                    "--filter",
                    "name=" + STACK + "_db_password",
                    "--format",
                    "{{.Name}}")
                .lines())
        .hasSize(1);
    assertThat(
            TestSwarm.docker(
                "service",
                "inspect",
                SERVICE,
                "--format",
                "{{json .Spec.TaskTemplate.ContainerSpec.Configs}}"))
        .contains(secondConfig);
    assertThat(rotated.objects())
        .filteredOn(o -> o.change() == ChangeType.DELETE)
        .extracting(ObjectReport::kind)
        .containsExactlyInAnyOrder("Config", "Secret");
    String everything =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .writeValueAsString(rotated);
    assertThat(everything).doesNotContain("hunter2").doesNotContain("swordfish");
    assertThat(reconcile(Mode.APPLY).result()).isEqualTo(RunResult.IN_SYNC);
  }

  @Test
  void anInvalidRevisionIsRejectedWholeAndTheLastGoodOneStaysLive() {
    TargetSettings settings =
        new TargetSettings(
            "pipe",
            "swarm",
            "swarm",
            Mode.APPLY,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(60));
    SwarmTarget target =
        new SwarmTarget(
            "pipe", STACK, api, new SwarmStackLoader("pipe", STACK, Map.of()), new SwarmDiffer());
    TargetReconciler reconciler =
        new TargetReconciler(settings, target, source, new RunListener() {}, Clock.systemUTC());
    assertThat(reconciler.reconcile(Trigger.cli()).result()).isEqualTo(RunResult.APPLIED);
    String version =
        TestSwarm.docker("service", "inspect", SERVICE, "--format", "{{.Version.Index}}");

    // A good change and a broken file in one commit: nothing of it may be applied.
    repo.write("swarm/docker-stack.yml", stack("7"))
        .write("swarm/extra.yml", "services:\n  worker:\n    image: [unclosed\n")
        .commitAndPush("scale api, add a broken worker");
    DriftReport rejected = reconciler.reconcile(Trigger.cli());

    assertThat(rejected.errors()).anySatisfy(e -> assertThat(e).startsWith("swarm/extra.yml:"));
    assertThat(rejected.note()).contains("rejected whole");
    assertThat(rejected.result()).isEqualTo(RunResult.IN_SYNC);
    assertThat(TestSwarm.docker("service", "inspect", SERVICE, "--format", "{{.Version.Index}}"))
        .isEqualTo(version);
    assertThat(TestSwarm.docker("service", "ls", "--filter", "name=" + STACK + "_worker", "-q"))
        .isEmpty();
  }
}
