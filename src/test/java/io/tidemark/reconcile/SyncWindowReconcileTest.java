package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.Mode;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.SyncWindows.Kind;
import io.tidemark.reconcile.SyncWindows.Window;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunListener;
import io.tidemark.report.RunResult;
import io.tidemark.source.LocalFolderSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A target in apply mode on the real swarm: a sync window holds the apply, drift is reported. */
class SyncWindowReconcileTest {

  static final String STACK = "tmwin";

  @TempDir static Path repo;

  @BeforeAll
  static void writeStack() throws Exception {
    Files.createDirectories(repo.resolve("stack"));
    Files.writeString(
        repo.resolve("stack/docker-stack.yml"),
        """
        services:
          web:
            image: %s
            command: ["sleep", "3600"]
        """
            .formatted(TestSwarm.IMAGE));
  }

  @BeforeEach
  void nothingDeployed() throws Exception {
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
  }

  @AfterAll
  static void removeStack() throws Exception {
    try (DockerApi api = TestSwarm.connect()) {
      TestSwarm.removeAll(api, STACK + "_");
    }
  }

  private static DriftReport reconcile(Clock clock, Window... windows) {
    TargetSettings settings =
        new TargetSettings(
            STACK,
            "swarm",
            "stack",
            Mode.APPLY,
            true,
            Duration.ofMinutes(1),
            Duration.ofSeconds(60),
            new SyncWindows(List.of(windows)));
    return new TargetReconciler(
            settings,
            TargetFactory.swarm(STACK, STACK, System.getenv("DOCKER_HOST"), Map.of()),
            new LocalFolderSource(repo),
            new RunListener() {},
            clock)
        .reconcile(Trigger.poll());
  }

  private static boolean deployed() {
    return TestSwarm.docker("service", "ls", "--format", "{{.Name}}").contains(STACK + "_web");
  }

  @Test
  void anActiveDenyWindowHoldsTheApplyAndTheReportSaysWhyThenItAppliesOnceClosed() {
    Window nightly = new Window(Kind.DENY, "0 22 * * *", Duration.ofHours(2), ZoneId.of("UTC"));
    Clock tonight = Clock.fixed(Instant.parse("2025-03-01T23:00:00Z"), ZoneOffset.UTC);
    Clock noon = Clock.fixed(Instant.parse("2025-03-02T12:00:00Z"), ZoneOffset.UTC);

    DriftReport held = reconcile(tonight, nightly);

    assertThat(held.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    assertThat(held.applied()).isFalse();
    assertThat(held.note())
        .isEqualTo(
            "apply held by sync window 0 (deny '0 22 * * *' for 2h UTC, until"
                + " 2025-03-02T00:00:00Z); drift is reported, not applied.");
    assertThat(held.drifted()).extracting(o -> o.key()).contains("Service/tmwin_web");
    assertThat(deployed()).isFalse();

    DriftReport applied = reconcile(noon, nightly);

    assertThat(applied.result()).isEqualTo(RunResult.APPLIED);
    assertThat(applied.note()).isEmpty();
    assertThat(deployed()).isTrue();
  }

  @Test
  void outsideEveryAllowWindowTheApplyIsHeld() {
    Window never = new Window(Kind.ALLOW, "0 3 1 1 *", Duration.ofMinutes(1), ZoneId.of("UTC"));

    DriftReport held = reconcile(Clock.systemUTC(), never);

    assertThat(held.result()).isEqualTo(RunResult.DRIFT_DETECTED);
    assertThat(held.note()).startsWith("apply held by sync windows: no allow window is active");
    assertThat(deployed()).isFalse();
  }
}
