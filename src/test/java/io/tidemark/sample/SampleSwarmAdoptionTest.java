package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.diff.PlanPolicy;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.SyncWindows;
import io.tidemark.reconcile.TargetReconciler;
import io.tidemark.reconcile.TargetSettings;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ObjectReport;
import io.tidemark.report.RunListener;
import io.tidemark.source.LocalFolderSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Swarm variant of the sample platform deployed by {@code docker stack deploy}, then adopted by
 * Tidemark on the real swarm. Its images cannot be pulled here, so tasks never run: enough to see
 * that adoption leaves the task template, and so the tasks, of a service already as Git says.
 */
class SampleSwarmAdoptionTest {

  private static final String STACK = "adoptsample";
  private static final Path FOLDER = Path.of("sample-repo/cluster/docker-swarm");
  private static final String OUT_OF_BAND = STACK + "_orders";

  private DockerApi api;

  @BeforeEach
  void connect() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
  }

  @AfterEach
  void clean() throws Exception {
    if (api != null) {
      TestSwarm.removeAll(api, STACK);
      api.close();
    }
  }

  private DriftReport reconcile(Mode mode) {
    PlanPolicy adopt = new PlanPolicy(true, List.of());
    TargetSettings settings =
        new TargetSettings(
            "sample",
            "swarm",
            "cluster/docker-swarm",
            mode,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(3),
            SyncWindows.none(),
            adopt);
    SwarmTarget target =
        new SwarmTarget(
            "sample",
            STACK,
            api,
            new SwarmStackLoader("sample", STACK, Map.of(), DemoKey.decryptor()),
            new SwarmDiffer(),
            Duration.ofSeconds(3),
            true);
    return new TargetReconciler(
            settings,
            target,
            new LocalFolderSource(Path.of("sample-repo")),
            new RunListener() {},
            Clock.systemUTC())
        .reconcile(Trigger.cli());
  }

  /** {@code docker stack deploy} of every stack file, with the folder's .env as the shell's. */
  private static void deployWithTheCli() throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("docker", "stack", "deploy", "--resolve-image", "never"));
    try (var files = Files.list(FOLDER)) {
      files
          .filter(f -> f.toString().endsWith(".yml"))
          .sorted()
          .forEach(f -> command.addAll(List.of("-c", f.toString())));
    }
    command.add(STACK);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    for (String line : Files.readAllLines(FOLDER.resolve(".env"))) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        builder.environment().put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(out).isZero();
  }

  /**
   * Per service, its task template and the state of its last rolling update: what a restart of its
   * tasks would change. (Task IDs themselves churn here: a task whose image cannot be pulled is
   * rejected and replaced by the orchestrator on its own. SwarmAdoptionTest checks task IDs with
   * running tasks.)
   */
  private static Map<String, String> templates() {
    Map<String, String> out = new TreeMap<>();
    String services =
        TestSwarm.docker(
            "service",
            "ls",
            "--filter",
            "label=com.docker.stack.namespace=" + STACK,
            "--format",
            "{{.Name}}");
    for (String service : services.lines().toList()) {
      out.put(
          service,
          TestSwarm.docker(
              "service",
              "inspect",
              "--format",
              "{{json .Spec.TaskTemplate}} {{json .UpdateStatus}}",
              service));
    }
    return out;
  }

  private static String updateState(String service) {
    return TestSwarm.docker(
        "service",
        "inspect",
        "--format",
        "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}",
        service);
  }

  private static boolean onlyLabels(ObjectReport object) {
    return object.diffs().stream().map(FieldDiff::path).allMatch(p -> p.startsWith("Labels["));
  }

  @Test
  void theCliDeployedPlatformShowsItsDriftIsAdoptedWithoutRestartsAndThenOnlyEngineRollbacksDrift()
      throws Exception {
    deployWithTheCli();
    TestSwarm.docker("service", "update", "--detach", "--env-add", "OUT_OF_BAND=1", OUT_OF_BAND);

    DriftReport detected = reconcile(Mode.DETECT);
    assertThat(detected.errors()).isEmpty();
    assertThat(detected.summary().get(ChangeType.CONFLICT)).isZero();
    List<ObjectReport> services =
        detected.objects().stream().filter(o -> o.kind().equals("Service")).toList();
    assertThat(services).allSatisfy(o -> assertThat(o.change()).isEqualTo(ChangeType.ADOPT));
    ObjectReport changed =
        services.stream().filter(o -> o.name().equals(OUT_OF_BAND)).findFirst().orElseThrow();
    assertThat(changed.diffs())
        .contains(new FieldDiff("TaskTemplate.ContainerSpec.Env.OUT_OF_BAND", null, "1"));
    List<String> asGitSays =
        services.stream()
            .filter(SampleSwarmAdoptionTest::onlyLabels)
            .map(ObjectReport::name)
            .toList();
    assertThat(asGitSays).isNotEmpty();
    Map<String, String> before = templates();

    Map<String, Set<String>> tasksBefore = pendingTaskIds(asGitSays);
    assertThat(tasksBefore).isNotEmpty();

    DriftReport applied = reconcile(Mode.APPLY);
    assertThat(applied.objects()).noneSatisfy(o -> assertThat(o.outcome()).hasToString("FAILED"));
    Map<String, String> after = templates();
    for (String service : asGitSays) {
      assertThat(after.get(service)).as(service).isEqualTo(before.get(service));
    }
    // Not one task restarted: the same task IDs, slot for slot, before and after adoption.
    assertThat(taskIds(tasksBefore.keySet())).isEqualTo(tasksBefore);
    assertThat(
            TestSwarm.docker(
                "service",
                "inspect",
                "--format",
                "{{.Spec.TaskTemplate.ContainerSpec.Env}}",
                OUT_OF_BAND))
        .doesNotContain("OUT_OF_BAND");

    // The next apply writes no service that is as Git says, and removes the CLI-named configs and
    // secrets that no service may roll back onto.
    DriftReport again = reconcile(Mode.APPLY);
    DriftReport next = reconcile(Mode.DETECT);
    // What is left is what the engine does here, where images cannot be pulled and the node lacks
    // the sample's bind-mount sources: a service whose tasks are scheduled on this node is
    // rejected, and the engine rolls its update back (update_config.failure_action: rollback),
    // restoring its whole previous spec, labels included; the configs and secrets that spec
    // names are kept for it. Every other service and file object is exactly as Git says.
    List<String> rolledBack =
        next.drifted().stream()
            .filter(o -> o.change() == ChangeType.ADOPT)
            .map(ObjectReport::name)
            .toList();
    Set<String> stillNamed = new TreeSet<>();
    for (String service : rolledBack) {
      assertThat(updateState(service)).as(service).startsWith("rollback");
      stillNamed.addAll(fileReferences(service));
    }
    assertThat(next.drifted())
        .as(
            "second apply: %s",
            again.objects().stream()
                .filter(o -> o.change() == ChangeType.DELETE || o.change() == ChangeType.ADOPT)
                .map(o -> o.name() + " " + o.outcome() + " " + o.message())
                .toList())
        .allSatisfy(
            o -> {
              if (o.change() != ChangeType.ADOPT) {
                assertThat(o.change()).isEqualTo(ChangeType.DELETE);
                assertThat(o.kind()).isIn("Config", "Secret");
                assertThat(stillNamed).as(o.key()).contains(o.name());
              }
            });
    long adopted = next.objects().stream().filter(o -> o.kind().equals("Service")).count();
    System.out.printf(
        "figure: sample adoption: %d services adopted, %d as Git says kept their %d tasks;"
            + " second apply wrote %d objects; then %d of %d services and %d file objects drift,"
            + " all explained by engine rollbacks (%s)%n",
        adopted,
        asGitSays.size(),
        tasksBefore.values().stream().mapToInt(Set::size).sum(),
        again.objects().stream().filter(o -> o.outcome() != null).count(),
        rolledBack.size(),
        adopted,
        next.drifted().size() - rolledBack.size(),
        rolledBack);
  }

  /**
   * Task IDs per service, for the services whose tasks all wait for a node (their placement names
   * node labels this swarm lacks): those IDs change only when the service's update replaces them.
   * Tasks scheduled here are rejected and replaced by the orchestrator on its own.
   */
  private static Map<String, Set<String>> pendingTaskIds(List<String> services) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String service : services) {
      String states = TestSwarm.docker("service", "ps", "--format", "{{.CurrentState}}", service);
      if (!states.isBlank() && states.lines().allMatch(l -> l.startsWith("Pending"))) {
        out.put(service, taskIds(List.of(service)).get(service));
      }
    }
    return out;
  }

  private static Map<String, Set<String>> taskIds(java.util.Collection<String> services) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String service : services) {
      out.put(
          service,
          new TreeSet<>(
              TestSwarm.docker("service", "ps", "-q", "--no-trunc", service).lines().toList()));
    }
    return out;
  }

  /** The names of the configs and secrets a service's live spec refers to. */
  private static List<String> fileReferences(String service) {
    return TestSwarm.docker(
            "service",
            "inspect",
            "--format",
            "{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{end}}"
                + "{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}} {{end}}",
            service)
        .lines()
        .flatMap(l -> java.util.Arrays.stream(l.trim().split(" ")))
        .filter(n -> !n.isBlank())
        .toList();
  }
}
