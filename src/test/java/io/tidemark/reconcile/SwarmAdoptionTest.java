package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.diff.IgnoreRule;
import io.tidemark.diff.PlanPolicy;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ObjectReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.LocalFolderSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack deployed by {@code docker stack deploy} on the real swarm, then pointed at by Tidemark:
 * conflicts with their diffs, adoption without restarting what already matches Git, CLI-named
 * configs replaced, and ignore rules that keep a scaled service as it is.
 */
class SwarmAdoptionTest {

  private static final String STACK = "adoptstk";
  private static final String API = STACK + "_api";
  private static final String WORKER = STACK + "_worker";

  /** A stack Tidemark creates from the same file, to compare specs with. */
  private static final String TWIN = "adopttwin";

  @TempDir Path dir;
  private DockerApi api;

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    TestSwarm.removeAll(api, TWIN);
    Files.createDirectories(dir.resolve("swarm"));
    Files.writeString(dir.resolve("swarm/app.conf"), "level=info\n");
    Files.writeString(dir.resolve("swarm/docker-stack.yml"), STACK_FILE);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (api != null) {
      TestSwarm.removeAll(api, STACK);
      TestSwarm.removeAll(api, TWIN);
      api.close();
    }
  }

  private static final String STACK_FILE =
      """
      services:
        api:
          image: %1$s
          command: ["sleep", "3600"]
          stop_grace_period: 1s
          environment:
            - LOG_LEVEL=info
          deploy:
            replicas: 2
        worker:
          image: %1$s
          command: ["sleep", "3600"]
          stop_grace_period: 1s
          configs:
            - source: app
              target: /etc/app.conf
      configs:
        app:
          file: ./app.conf
      """
          .formatted(TestSwarm.IMAGE);

  private DriftReport reconcile(Mode mode, PlanPolicy policy) {
    return reconcile(STACK, mode, policy);
  }

  private DriftReport reconcile(String stack, Mode mode, PlanPolicy policy) {
    TargetSettings settings =
        new TargetSettings(
            "adopter",
            "swarm",
            "swarm",
            mode,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(60),
            SyncWindows.none(),
            policy);
    SwarmTarget target =
        new SwarmTarget(
            "adopter",
            stack,
            api,
            new SwarmStackLoader("adopter", stack, Map.of()),
            new SwarmDiffer(),
            Duration.ofSeconds(60),
            policy.adopt());
    return new TargetReconciler(
            settings, target, new LocalFolderSource(dir), new RunListener() {}, Clock.systemUTC())
        .reconcile(Trigger.cli());
  }

  private static ObjectReport object(DriftReport report, String kind, String name) {
    return report.objects().stream()
        .filter(o -> o.kind().equals(kind) && o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " not in " + report));
  }

  private static List<String> paths(ObjectReport object) {
    return object.diffs().stream().map(FieldDiff::path).toList();
  }

  private void deployWithTheCli() {
    TestSwarm.docker(
        "stack",
        "deploy",
        "--resolve-image",
        "never",
        "-c",
        dir.resolve("swarm/docker-stack.yml").toString(),
        STACK);
    awaitRunning(API, 2);
    awaitRunning(WORKER, 1);
  }

  private void awaitRunning(String service, int replicas) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> runningTasks(service).lines().filter(l -> !l.isBlank()).count() == replicas);
  }

  private static String runningTasks(String service) {
    return TestSwarm.docker(
        "service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", service);
  }

  @Test
  void withoutAdoptionAConflictShowsTheOutOfBandDiffWhoOwnsItAndHowToAdopt() {
    deployWithTheCli();
    TestSwarm.docker("service", "update", "--detach", "--env-add", "DEBUG=1", API);

    DriftReport report = reconcile(Mode.APPLY, PlanPolicy.standard());

    ObjectReport service = object(report, "Service", API);
    assertThat(service.change()).isEqualTo(ChangeType.CONFLICT);
    assertThat(paths(service))
        .contains("TaskTemplate.ContainerSpec.Env.DEBUG", "Labels[\"io.tidemark/target\"]");
    assertThat(service.owner()).isEqualTo("docker stack deploy (stack " + STACK + ")");
    assertThat(service.hint()).contains("tidemark.targets.adopter.adopt=true");
    assertThat(object(report, "Network", STACK + "_default").change())
        .isEqualTo(ChangeType.CONFLICT);
    assertThat(TestSwarm.docker("service", "inspect", "--format", "{{.Spec.Labels}}", API))
        .doesNotContain("io.tidemark/target");
  }

  @Test
  void adoptsAStackWithoutRestartingWhatMatchesGitThenReportsZeroDrift() {
    deployWithTheCli();
    String apiTasks = runningTasks(API);
    PlanPolicy adopt = new PlanPolicy(true, List.of());

    DriftReport detected = reconcile(Mode.DETECT, adopt);
    ObjectReport apiService = object(detected, "Service", API);
    assertThat(apiService.change()).isEqualTo(ChangeType.ADOPT);
    assertThat(paths(apiService)).containsExactly("Labels[\"io.tidemark/target\"]");
    ObjectReport worker = object(detected, "Service", WORKER);
    assertThat(worker.change()).isEqualTo(ChangeType.ADOPT);
    assertThat(paths(worker)).anyMatch(p -> p.startsWith("TaskTemplate.ContainerSpec.Configs"));
    assertThat(object(detected, "Network", STACK + "_default").change())
        .isEqualTo(ChangeType.IN_SYNC);
    assertThat(detected.applied()).isFalse();

    DriftReport applied = reconcile(Mode.APPLY, adopt);
    assertThat(applied.result()).as(applied.toString()).isEqualTo(RunResult.APPLIED);
    assertThat(object(applied, "Config", STACK + "_app").change()).isEqualTo(ChangeType.DELETE);
    assertThat(TestSwarm.docker("config", "ls", "--format", "{{.Name}}"))
        .doesNotContain(STACK + "_app\n")
        .contains(STACK + "_app-");
    assertThat(runningTasks(API)).isEqualTo(apiTasks);
    assertThat(TestSwarm.docker("service", "inspect", "--format", "{{.Spec.Labels}}", API))
        .contains("io.tidemark/target:adopter");

    DriftReport after = reconcile(Mode.APPLY, adopt);
    assertThat(after.result()).as(after.toString()).isEqualTo(RunResult.IN_SYNC);
    assertThat(after.applied()).isFalse();

    assertThat(reconcile(TWIN, Mode.APPLY, PlanPolicy.standard()).result())
        .isEqualTo(RunResult.APPLIED);
    assertThat(comparableSpec(TWIN + "_api", TWIN)).isEqualTo(comparableSpec(API, STACK));
    assertThat(comparableSpec(TWIN + "_worker", TWIN)).isEqualTo(comparableSpec(WORKER, STACK));
  }

  /**
   * The service's spec as the engine keeps it, with the stack's name, the hash of config names and
   * network ids (which differ between any two stacks) taken out.
   */
  private static String comparableSpec(String service, String stack) {
    return TestSwarm.docker("service", "inspect", "--format", "{{json .Spec}}", service)
        .replace(stack + "_", "STACK_")
        .replace("\"" + stack + "\"", "\"STACK\"")
        .replaceAll("\"Target\":\"[0-9a-z]{25}\"", "\"Target\":\"NETWORK\"")
        .replaceAll("\"ConfigID\":\"[0-9a-z]{25}\"", "\"ConfigID\":\"ID\"");
  }

  @Test
  void anIgnoredReplicaCountIsNeitherDriftNorWritten() {
    PlanPolicy ignoreReplicas =
        new PlanPolicy(
            false,
            List.of(
                IgnoreRule.of("ignore[0]", "Service", STACK + "_*", "Mode.Replicated.Replicas")));
    assertThat(reconcile(Mode.APPLY, ignoreReplicas).result()).isEqualTo(RunResult.APPLIED);
    TestSwarm.docker("service", "scale", "--detach", API + "=3");
    TestSwarm.docker("service", "update", "--detach", "--env-add", "DEBUG=1", API);

    DriftReport detected = reconcile(Mode.DETECT, ignoreReplicas);
    ObjectReport service = object(detected, "Service", API);
    assertThat(paths(service)).containsExactly("TaskTemplate.ContainerSpec.Env.DEBUG");
    assertThat(service.ignored())
        .containsExactly("Mode.Replicated.Replicas (ignore[0], differs live)");

    DriftReport applied = reconcile(Mode.APPLY, ignoreReplicas);
    assertThat(applied.result()).as(applied.toString()).isEqualTo(RunResult.APPLIED);
    assertThat(
            TestSwarm.docker(
                "service",
                "inspect",
                "--format",
                "{{.Spec.Mode.Replicated.Replicas}} {{.Spec.TaskTemplate.ContainerSpec.Env}}",
                API))
        .isEqualTo("3 [LOG_LEVEL=info]");
    assertThat(reconcile(Mode.DETECT, ignoreReplicas).result()).isEqualTo(RunResult.IN_SYNC);
  }
}
