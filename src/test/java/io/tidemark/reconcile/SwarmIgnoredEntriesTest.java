package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.diff.IgnoreRule;
import io.tidemark.diff.PlanPolicy;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ignore rules naming one entry of a list the engine keeps unordered (an environment variable, a
 * mount, a published port), on the real swarm: the entry set out of band is no drift, and when
 * Tidemark writes the service for another change the entry stays as it is live, in each syntax a
 * rule may use ({@code Env.NAME}, {@code Env["NAME"]}, {@code Env[name=NAME]}).
 */
class SwarmIgnoredEntriesTest {

  private static final String STACK = "adopt2ign";
  private static final String API = STACK + "_api";

  @TempDir Path dir;
  private DockerApi api;

  @BeforeEach
  void setUp() throws Exception {
    api = TestSwarm.connect();
    TestSwarm.removeAll(api, STACK);
    write("info");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (api != null) {
      TestSwarm.removeAll(api, STACK);
      api.close();
    }
  }

  private void write(String level) throws Exception {
    Files.createDirectories(dir.resolve("swarm"));
    Files.writeString(
        dir.resolve("swarm/docker-stack.yml"),
        """
        services:
          api:
            image: %s
            command: ["sleep", "3600"]
            stop_grace_period: 1s
            environment:
              LOG_LEVEL: %s
              FEATURE: "on"
            ports:
              - "28471:80"
        """
            .formatted(TestSwarm.IMAGE, level));
  }

  private DriftReport reconcile(Mode mode, PlanPolicy policy) {
    TargetSettings settings =
        new TargetSettings(
            "ignorer",
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
            "ignorer",
            STACK,
            api,
            new SwarmStackLoader("ignorer", STACK, Map.of()),
            new SwarmDiffer(),
            Duration.ofSeconds(60),
            false);
    return new TargetReconciler(
            settings, target, new LocalFolderSource(dir), new RunListener() {}, Clock.systemUTC())
        .reconcile(Trigger.cli());
  }

  private static ObjectReport service(DriftReport report) {
    return report.objects().stream()
        .filter(o -> o.name().equals(API))
        .findFirst()
        .orElseThrow(() -> new AssertionError(API + " not in " + report));
  }

  private static String inspect(String format) {
    return TestSwarm.docker("service", "inspect", "--format", format, API);
  }

  @Test
  void ignoredEntriesOfKeyedListsAreNoDriftAndKeptWhenTheServiceIsWritten() throws Exception {
    PlanPolicy policy =
        new PlanPolicy(
            false,
            List.of(
                IgnoreRule.of(
                    "ignore[0]",
                    "Service",
                    STACK + "_*",
                    "TaskTemplate.ContainerSpec.Env[name=FEATURE],"
                        + "TaskTemplate.ContainerSpec.Env[\"VAULT_TOKEN_FILE\"],"
                        + "TaskTemplate.ContainerSpec.Env.SIDECAR"),
                IgnoreRule.of(
                    "ignore[1]",
                    "Service",
                    API,
                    "TaskTemplate.ContainerSpec.Mounts[\"/scratch\"],"
                        + "EndpointSpec.Ports[\"28472:81/tcp\"]")));
    assertThat(reconcile(Mode.APPLY, policy).result()).isEqualTo(RunResult.APPLIED);
    // Out of band: one Git variable changed, two added, a mount and a port added, and one
    // variable nobody ignores.
    TestSwarm.docker(
        "service",
        "update",
        "--detach",
        "--env-add",
        "FEATURE=off",
        "--env-add",
        "VAULT_TOKEN_FILE=/run/vault",
        "--env-add",
        "SIDECAR=1",
        "--env-add",
        "DEBUG=1",
        "--mount-add",
        "type=tmpfs,target=/scratch",
        "--publish-add",
        "published=28472,target=81",
        API);

    DriftReport detected = reconcile(Mode.DETECT, policy);
    assertThat(service(detected).diffs().stream().map(FieldDiff::path))
        .containsExactly("TaskTemplate.ContainerSpec.Env.DEBUG");
    assertThat(service(detected).ignored())
        .contains(
            "TaskTemplate.ContainerSpec.Env[name=FEATURE] (ignore[0], differs live)",
            "TaskTemplate.ContainerSpec.Env[\"VAULT_TOKEN_FILE\"] (ignore[0], differs live)",
            "TaskTemplate.ContainerSpec.Env.SIDECAR (ignore[0], differs live)",
            "TaskTemplate.ContainerSpec.Mounts[\"/scratch\"] (ignore[1], differs live)",
            "EndpointSpec.Ports[\"28472:81/tcp\"] (ignore[1], differs live)");

    // Git changes LOG_LEVEL: the service is written, the ignored entries stay as they are live.
    write("debug");
    DriftReport applied = reconcile(Mode.APPLY, policy);
    assertThat(applied.result()).as(applied.toString()).isEqualTo(RunResult.APPLIED);
    assertThat(inspect("{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
        .contains("LOG_LEVEL=debug", "FEATURE=off", "VAULT_TOKEN_FILE=/run/vault", "SIDECAR=1")
        .doesNotContain("DEBUG=1");
    assertThat(inspect("{{json .Spec.TaskTemplate.ContainerSpec.Mounts}}")).contains("/scratch");
    assertThat(inspect("{{json .Spec.EndpointSpec.Ports}}")).contains("28471", "28472");
    assertThat(reconcile(Mode.DETECT, policy).result()).isEqualTo(RunResult.IN_SYNC);
  }
}
