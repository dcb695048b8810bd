package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.cluster.swarm.DockerApi;
import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.report.DriftReport;
import io.tidemark.report.ObjectReport;
import io.tidemark.report.RunResult;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker daemon stopped in the middle of an apply and started again, with the engine that
 * {@code scripts/test-swarm.sh} runs: the run under way ends with failed entries (not a crash), the
 * next one converges, and the one after reports no drift and writes nothing. The engine is started
 * again whatever happens, and kept down only as long as the interrupted run needs to end.
 */
class DaemonRestartTest {

  private static final String STACK = "tmreld";
  private static final String WEB = STACK + "_web";
  private static final int OTHERS = 20;
  private static final Path SCRIPT = Path.of("scripts/test-swarm.sh");
  private static final Path PID_FILE = Path.of("/run/tidemark-test/dockerd.pid");
  private static final String SOCKET = "unix:///run/tidemark-test/docker.sock";

  @TempDir Path dir;
  private Remote remote;
  private SwarmPipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeTrue(
        SOCKET.equals(System.getenv("DOCKER_HOST")) && Files.exists(PID_FILE),
        "needs the engine of scripts/test-swarm.sh (DOCKER_HOST=" + SOCKET + ", " + PID_FILE + ")");
    remote = Remote.create(dir.resolve("git"));
    remote.write("swarm/docker-stack.yml", stack("1s", true)).commitAndPush("v1");
    pipeline =
        new SwarmPipeline(
            remote.url(),
            dir.resolve("data"),
            STACK,
            Mode.APPLY,
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
  }

  /**
   * One running service whose health check runs every {@code interval} (its task is "starting", not
   * running, until the first check passes), and, when {@code others}, {@value #OTHERS} more
   * services with no task.
   */
  private static String stack(String interval, boolean others) {
    StringBuilder stack =
        new StringBuilder(
            """
            services:
              web:
                image: %s
                command: ["sleep", "3600"]
                stop_grace_period: 1s
                healthcheck:
                  test: ["CMD", "true"]
                  interval: %s
            """
                .formatted(TestSwarm.IMAGE, interval));
    for (int i = 0; others && i < OTHERS; i++) {
      stack.append(
          """
            p%02d:
              image: %s
              command: ["sleep", "3600"]
              deploy:
                replicas: 0
          """
              .formatted(i, TestSwarm.IMAGE));
    }
    return stack.toString();
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      ensureEngineUp();
    } finally {
      if (pipeline != null) {
        pipeline.close();
      }
      if (remote != null) {
        remote.close();
      }
    }
  }

  @Test
  void anApplyCutByADaemonRestartFailsCleanlyAndTheNextRunsConvergeWithoutFalseDrift()
      throws Exception {
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.APPLIED);
    String before = pipeline.versions().get(WEB);
    // Short waits from now on: the engine stays down while the cut run waits.
    pipeline.timeouts(Duration.ofSeconds(2), Duration.ofSeconds(12));
    // v2 updates web, whose new task then stays "starting" for 30 s, and prunes the others: the
    // apply writes web, waits for it to converge, and only then deletes. The engine goes down in
    // that wait, so the deletes meet a stopped daemon.
    remote.write("swarm/docker-stack.yml", stack("30s", false)).commitAndPush("v2");
    CompletableFuture<DriftReport> run = CompletableFuture.supplyAsync(pipeline::reconcile);
    try (DockerApi watcher = TestSwarm.connect()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !before.equals(version(watcher, WEB)));
    }
    long down = System.nanoTime();
    script("stop");
    long stopped = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
    DriftReport cut = run.get(120, TimeUnit.SECONDS);
    script("start");
    awaitSwarm();
    long outage = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);

    assertThat(cut.result()).isEqualTo(RunResult.APPLY_FAILED);
    // How many deletes the dying engine still took depends on when it stopped answering; those it
    // did not take are failed entries with the engine's or the transport's reason.
    List<ObjectReport> failed =
        cut.objects().stream().filter(o -> o.outcome() == ApplyOutcome.FAILED).toList();
    assertThat(failed)
        .as(cut.toString())
        .isNotEmpty()
        .allSatisfy(
            o -> {
              assertThat(o.change()).isEqualTo(ChangeType.DELETE);
              assertThat(o.message()).containsAnyOf("did not answer", "answered 5");
            });

    DriftReport converged = pipeline.reconcile();
    assertThat(converged.result()).as(converged.toString()).isEqualTo(RunResult.APPLIED);
    // A delete refused while the engine stopped may still have been committed: at most the
    // failed ones are left to delete.
    assertThat(converged.objects())
        .filteredOn(o -> o.change() == ChangeType.DELETE)
        .hasSizeBetween(1, failed.size())
        .allMatch(o -> o.outcome() == ApplyOutcome.DELETED);
    assertThat(SwarmPipeline.object(converged, WEB).change()).isEqualTo(ChangeType.IN_SYNC);
    Map<String, String> versions = pipeline.versions();
    assertThat(versions).containsOnlyKeys(WEB);

    DriftReport quiet = pipeline.reconcile();
    assertThat(quiet.result()).isEqualTo(RunResult.IN_SYNC);
    assertThat(quiet.applied()).isFalse();
    assertThat(quiet.drifted()).isEmpty();
    assertThat(pipeline.versions()).isEqualTo(versions);
    System.out.printf(
        "figure: daemon restart: %d of %d objects failed in the cut run, engine stopped in %d ms,"
            + " down %d ms;"
            + " next run %s (%s), then %s with %d writes%n",
        failed.size(),
        cut.objects().size(),
        stopped,
        outage,
        converged.result(),
        converged.summary(),
        quiet.result(),
        quiet.objects().stream().filter(o -> o.outcome() != null).count());
  }

  private static String version(DockerApi api, String service) throws Exception {
    return String.valueOf(
        ((Map<?, ?>) api.getObject("/services/" + service).get("Version")).get("Index"));
  }

  /** Runs {@code scripts/test-swarm.sh start|stop}; its output goes to the test's log. */
  private static void script(String verb) throws Exception {
    Process process =
        new ProcessBuilder("bash", SCRIPT.toString(), verb)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("test-swarm.sh " + verb).isTrue();
    assertThat(process.exitValue()).as("test-swarm.sh " + verb + ": " + out).isZero();
  }

  /** The engine answers and the swarm has its leader again (services can be listed). */
  private static void awaitSwarm() {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              try (DockerApi api = TestSwarm.connect()) {
                api.getArray("/nodes");
                api.getArray("/services");
                return true;
              }
            });
  }

  private static void ensureEngineUp() throws Exception {
    boolean up;
    try (DockerApi api = TestSwarm.connect()) {
      api.ping();
      up = true;
    } catch (Exception e) {
      up = false;
    }
    if (!up) {
      script("start");
    }
    awaitSwarm();
  }
}
