package io.tidemark.reliability;

import static io.tidemark.reliability.SwarmPipeline.object;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git faults through the service's pipeline on the real swarm: a remote that disappears, history
 * rewritten by a force push, the followed branch deleted, a damaged clone at start, and a symbolic
 * link that points outside the repository. The cluster never loses what Git last said.
 */
class GitFaultsTest {

  private static final String STACK = "tmrelg";
  private static final String API = STACK + "_api";

  @TempDir Path dir;
  private Remote remote;
  private SwarmPipeline pipeline;

  @BeforeEach
  void setUp() throws Exception {
    remote = Remote.create(dir.resolve("git"));
    remote.write("swarm/docker-stack.yml", stack("v1")).commitAndPush("api v1");
    pipeline =
        new SwarmPipeline(
            remote.url(), dir.resolve("data"), STACK, Mode.APPLY, Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (remote != null) {
      remote.close();
    }
  }

  /** Replicas 0: the spec is what matters here, and no task has to start. */
  static String stack(String version) {
    return """
        services:
          api:
            image: %s
            command: ["sleep", "3600"]
            environment:
              VERSION: %s
            deploy:
              replicas: 0
          worker:
            image: %s
            command: ["sleep", "3600"]
            deploy:
              replicas: 0
        """
        .formatted(TestSwarm.IMAGE, version, TestSwarm.IMAGE);
  }

  private String liveVersion() {
    return TestSwarm.docker(
        "service", "inspect", API, "--format", "{{json .Spec.TaskTemplate.ContainerSpec.Env}}");
  }

  @Test
  void aRemoteThatDisappearsLeavesTheLastFetchedRevisionLiveAndNothingDeleted() throws Exception {
    DriftReport first = pipeline.reconcile();
    assertThat(first.result()).isEqualTo(RunResult.APPLIED);
    Map<String, String> versions = pipeline.versions();
    Path moved = dir.resolve("moved.git");
    Files.move(remote.bare(), moved);

    DriftReport report = pipeline.reconcile();

    assertThat(report.result()).isEqualTo(RunResult.IN_SYNC);
    assertThat(report.revision().commit()).isEqualTo(first.revision().commit());
    assertThat(report.errors()).singleElement().asString().startsWith("git: ");
    assertThat(report.note())
        .isEqualTo(
            "Git fetch failed; using the last fetched revision "
                + first.revision().shortCommit()
                + ".");
    assertThat(report.objects()).noneMatch(o -> o.change() == ChangeType.DELETE);
    assertThat(pipeline.versions()).isEqualTo(versions);

    // The remote comes back with a new commit: it is followed again at once.
    Files.move(moved, remote.bare());
    String v2 = remote.write("swarm/docker-stack.yml", stack("v2")).commitAndPush("api v2");
    DriftReport back = pipeline.reconcile();
    assertThat(back.result()).isEqualTo(RunResult.APPLIED);
    assertThat(back.revision().commit()).isEqualTo(v2);
    assertThat(back.errors()).isEmpty();
    assertThat(liveVersion()).contains("VERSION=v2");
  }

  @Test
  void aForcePushedHistoryIsFollowed() throws Exception {
    String base = pipeline.reconcile().revision().commit();
    remote.write("swarm/docker-stack.yml", stack("v2")).commitAndPush("api v2");
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.APPLIED);
    assertThat(liveVersion()).contains("VERSION=v2");

    String rewritten =
        remote
            .resetHard(base)
            .write("swarm/docker-stack.yml", stack("v2-rewritten"))
            .commitAndForcePush("api v2, rewritten");
    DriftReport report = pipeline.reconcile();

    assertThat(report.result()).isEqualTo(RunResult.APPLIED);
    assertThat(report.revision().commit()).isEqualTo(rewritten);
    assertThat(object(report, API).change()).isEqualTo(ChangeType.UPDATE);
    assertThat(liveVersion()).contains("VERSION=v2-rewritten");
    assertThat(pipeline.reconcile().result()).isEqualTo(RunResult.IN_SYNC);
  }

  @Test
  void aDeletedBranchIsAClearErrorAndTheLastRevisionStays() throws Exception {
    DriftReport first = pipeline.reconcile();
    Map<String, String> versions = pipeline.versions();
    remote.deleteMain();

    DriftReport report = pipeline.reconcile();

    assertThat(report.errors())
        .singleElement()
        .asString()
        .isEqualTo("git: branch 'main' not found in " + remote.url());
    assertThat(report.note()).contains("using the last fetched revision");
    assertThat(report.revision().commit()).isEqualTo(first.revision().commit());
    assertThat(report.result()).isEqualTo(RunResult.IN_SYNC);
    assertThat(pipeline.versions()).isEqualTo(versions);
  }

  @Test
  void aDamagedCloneFoundAtStartIsClonedAgain() throws Exception {
    String commit = pipeline.reconcile().revision().commit();
    Path clone;
    try (Stream<Path> clones = Files.list(dir.resolve("data/git"))) {
      clone = clones.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    // Garbage where HEAD and the packs were, as a full disk or a killed copy leaves them.
    Files.writeString(clone.resolve("HEAD"), "\0\0garbage");
    try (Stream<Path> files = Files.walk(clone.resolve("objects"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.write(file, new byte[] {1, 2, 3});
      }
    }

    pipeline.restart();
    DriftReport report = pipeline.reconcile();

    assertThat(report.errors()).isEmpty();
    assertThat(report.revision().commit()).isEqualTo(commit);
    assertThat(report.result()).isEqualTo(RunResult.IN_SYNC);
    assertThat(Files.readString(clone.resolve("HEAD"))).startsWith("ref: ");
  }

  @Test
  void aSymlinkOutOfTheRepositoryIsNotFollowedAndNamingItIsAClearError() throws Exception {
    Path outside = dir.resolve("outside-secret.txt");
    Files.writeString(outside, "outside-the-repo-s3cret");
    remote.symlink("swarm/leak.conf", outside.toString());
    remote.symlink("swarm/up.conf", "../../outside-secret.txt");
    String commit = remote.commitAndPush("links out of the repository");

    DriftReport unreferenced = pipeline.reconcile();

    assertThat(unreferenced.revision().commit()).isEqualTo(commit);
    assertThat(unreferenced.result()).isEqualTo(RunResult.APPLIED);
    Path checkout = pipeline.source().current().orElseThrow().tree();
    assertThat(checkout.resolve("swarm/leak.conf")).doesNotExist();
    assertThat(checkout.resolve("swarm/up.conf")).doesNotExist();

    remote
        .write(
            "swarm/docker-stack.yml",
            stack("v1")
                + """
                configs:
                  leak:
                    file: ./leak.conf
                """)
        .commitAndPush("a config from the link");
    DriftReport referenced = pipeline.reconcile();

    assertThat(referenced.errors())
        .containsExactly(
            "swarm/docker-stack.yml:16: configs.leak.file: file \"./leak.conf\" does not exist in"
                + " the checkout (symbolic links that point outside the repository are left out)");
    assertThat(referenced.note()).contains("rejected whole");
    assertThat(referenced.revision().commit()).isEqualTo(commit);
    assertThat(String.join("\n", referenced.errors())).doesNotContain("s3cret");
    assertThat(TestSwarm.docker("config", "ls", "--filter", "name=" + STACK, "-q")).isEmpty();
  }
}
