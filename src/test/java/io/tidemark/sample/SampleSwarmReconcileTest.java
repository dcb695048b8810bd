package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.SwarmDiffer;
import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.cluster.swarm.SwarmTarget;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.SyncWindows;
import io.tidemark.reconcile.TargetReconciler;
import io.tidemark.reconcile.TargetSettings;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.LocalFolderSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Swarm variant of the sample platform, deployed by Tidemark on the real swarm and reconciled
 * to zero drift. Its images cannot be pulled here, so tasks never run: that is reported as
 * unhealthy, and says nothing about the specs, which are what this test is about.
 */
class SampleSwarmReconcileTest {

  private static final String STACK = "tmsample";

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

  private DriftReport reconcile(TargetReconciler reconciler) {
    return reconciler.reconcile(Trigger.cli());
  }

  @Test
  void theWholePlatformDeploysAndThenReconcilesToZeroDriftWithZeroWrites() throws Exception {
    TargetSettings settings =
        new TargetSettings(
            "sample",
            "swarm",
            "cluster/docker-swarm",
            Mode.APPLY,
            true,
            Duration.ofHours(1),
            Duration.ofSeconds(20),
            new SyncWindows(List.of()));
    SwarmTarget target =
        new SwarmTarget(
            "sample",
            STACK,
            api,
            new SwarmStackLoader("sample", STACK, Map.of(), DemoKey.decryptor()),
            new SwarmDiffer(),
            Duration.ofSeconds(20));
    TargetReconciler reconciler =
        new TargetReconciler(
            settings,
            target,
            new LocalFolderSource(Path.of("sample-repo")),
            new RunListener() {},
            Clock.systemUTC());

    DriftReport first = reconcile(reconciler);
    assertThat(first.errors()).isEmpty();
    assertThat(first.summary().get(ChangeType.CREATE)).isGreaterThan(20);
    assertThat(first.objects()).allSatisfy(o -> assertThat(o.outcome()).isNotNull());
    assertThat(first.objects())
        .noneSatisfy(o -> assertThat(o.outcome().name()).isEqualTo("FAILED"));
    long services = first.objects().stream().filter(o -> o.kind().equals("Service")).count();
    String live =
        TestSwarm.docker(
            "service",
            "ls",
            "--filter",
            "label=com.docker.stack.namespace=" + STACK,
            "--format",
            "{{.Name}}");
    assertThat(live.lines()).hasSize((int) services);
    String before = serviceVersions();

    DriftReport second = reconcile(reconciler);
    assertThat(second.result()).isEqualTo(RunResult.IN_SYNC);
    assertThat(second.drifted()).isEmpty();
    assertThat(serviceVersions()).isEqualTo(before);
  }

  private String serviceVersions() {
    String ids =
        TestSwarm.docker(
            "service", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + STACK);
    List<String> args =
        new java.util.ArrayList<>(
            List.of("service", "inspect", "--format", "{{.Spec.Name}} {{.Version.Index}}"));
    args.addAll(ids.lines().toList());
    return TestSwarm.docker(args.toArray(String[]::new));
  }
}
