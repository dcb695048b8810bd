package io.tidemark.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tidemark.cluster.swarm.TestSwarm;
import io.tidemark.model.Mode;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunResult;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large repositories: 10,000 files of which only the target folder matters, synced and applied
 * through the pipeline in bounded time; and a 50 MB file, fetched and checked out by a JVM whose
 * heap cannot hold it, never read unless a stack names it, and then refused before being read.
 */
class LargeRepositoryTest {

  private static final String STACK = "tmrell";
  private static final long FIFTY_MB = 50_000_000;

  @TempDir Path dir;
  private Remote remote;
  private SwarmPipeline pipeline;
  private SlowGitServer server;

  @AfterEach
  void tearDown() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (remote != null) {
      remote.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String stack(String version) {
    return """
        services:
          api:
            image: %s
            environment:
              VERSION: %s
            deploy:
              replicas: 0
        """
        .formatted(TestSwarm.IMAGE, version);
  }

  @Test
  void aRepositoryOfTenThousandFilesSyncsAndOnlyTheTargetFolderIsRead() throws Exception {
    remote = Remote.create(dir.resolve("git"));
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 10_000; i++) {
      files.put("bulk/d%03d/f%05d.txt".formatted(i / 100, i), "file " + i + "\n");
    }
    // A broken stack outside the target folder: reading it would reject the revision.
    files.put("other/docker-stack.yml", "services: [not, a, mapping\n");
    files.put("swarm/docker-stack.yml", stack("v1"));
    ObjectId v1 = commitDirectly(remote.bare(), files, null);

    long start = System.nanoTime();
    pipeline =
        new SwarmPipeline(
            remote.url(), dir.resolve("data"), STACK, Mode.APPLY, Duration.ofSeconds(30));
    DriftReport first = pipeline.reconcile();
    Duration clone = Duration.ofNanos(System.nanoTime() - start);

    files.put("swarm/docker-stack.yml", stack("v2"));
    commitDirectly(remote.bare(), files, v1);
    start = System.nanoTime();
    DriftReport second = pipeline.reconcile();
    Duration update = Duration.ofNanos(System.nanoTime() - start);

    assertThat(first.result()).isEqualTo(RunResult.APPLIED);
    assertThat(second.result()).isEqualTo(RunResult.APPLIED);
    assertThat(second.errors()).isEmpty();
    assertThat(pipeline.source().current().orElseThrow().tree().resolve("bulk/d099/f09999.txt"))
        .hasContent("file 9999");
    System.out.printf(
        "figure: 10,000 files: first reconcile (clone, checkout, apply) %d ms, next commit %d ms%n",
        clone.toMillis(), update.toMillis());
    assertThat(clone).isLessThan(Duration.ofSeconds(90));
    assertThat(update).isLessThan(Duration.ofSeconds(60));
  }

  /**
   * Writes a commit of {@code files} straight into the bare remote's main as one pack: building it
   * through a work tree would cost far more time than what is measured.
   */
  private static ObjectId commitDirectly(Path bare, Map<String, String> files, ObjectId parent)
      throws Exception {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
        ObjectInserter inserter = ((ObjectDirectory) repo.getObjectDatabase()).newPackInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Map.Entry<String, String> file : files.entrySet()) {
        DirCacheEntry entry = new DirCacheEntry(file.getKey());
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(
            inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
        builder.add(entry);
      }
      builder.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      if (parent != null) {
        commit.setParentId(parent);
      }
      PersonIdent who = new PersonIdent("Platform Team", "platform@example.com");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("generated");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repo.updateRef("refs/heads/main");
      update.setNewObjectId(id);
      update.setForceUpdate(true);
      update.update();
      return id;
    }
  }

  @Test
  void aFiftyMegabyteFileIsFetchedInBoundedMemoryAndOnlyReadWhenNamed() throws Exception {
    remote = Remote.create(dir.resolve("git"));
    remote.writeRandom("blobs/data.bin", FIFTY_MB);
    remote.write("swarm/docker-stack.yml", stack("v1")).commitAndPush("a 50 MB file");
    String url = serve(remote.bare());
    Path data = dir.resolve("data");

    Probe plain = probe(url, data);

    assertThat(plain.exit()).as(plain.output()).isZero();
    assertThat(plain.output()).contains("loaded ").contains("max heap");

    remote
        .write(
            "swarm/docker-stack.yml",
            stack("v1") + "configs:\n  data:\n    file: ../blobs/data.bin\n")
        .commitAndPush("name the 50 MB file as a config");
    Probe named = probe(url, data);

    assertThat(named.exit()).as(named.output()).isEqualTo(2);
    assertThat(named.output())
        .contains(
            "error swarm/docker-stack.yml:10: configs.data.file: file \"../blobs/data.bin\" is"
                + " 50000000 bytes; a Swarm config holds at most 1023999");
  }

  @Test
  void aFetchCutMidTransferKeepsTheLastRevisionAndTheNextFetchCompletesIt() throws Exception {
    remote = Remote.create(dir.resolve("git"));
    remote.write("swarm/docker-stack.yml", stack("v1")).commitAndPush("v1");
    // 10 MB/s: the 50 MB pack of the next commit takes seconds, long enough to be cut.
    server = new SlowGitServer(remote.bare(), 10_000_000);
    String url = server.start();
    Path data = dir.resolve("data");
    pipeline = new SwarmPipeline(url, data, STACK, Mode.APPLY, Duration.ofSeconds(30));
    DriftReport first = pipeline.reconcile();
    assertThat(first.result()).isEqualTo(RunResult.APPLIED);
    Map<String, String> versions = pipeline.versions();
    remote.writeRandom("blobs/data.bin", FIFTY_MB);
    String v2 = remote.write("swarm/docker-stack.yml", stack("v2")).commitAndPush("v2, 50 MB");

    CompletableFuture<DriftReport> run = CompletableFuture.supplyAsync(pipeline::reconcile);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> receiving(data, 1_000_000));
    server.down();
    DriftReport cut = run.get(2, TimeUnit.MINUTES);

    assertThat(cut.revision().commit()).isEqualTo(first.revision().commit());
    assertThat(cut.errors()).singleElement().asString().startsWith("git: ");
    assertThat(cut.note()).contains("using the last fetched revision");
    assertThat(cut.result()).isEqualTo(RunResult.IN_SYNC);
    assertThat(pipeline.versions()).isEqualTo(versions);
    assertThat(receiving(data, 0)).as("a half-received pack left in the clone").isFalse();

    server.up();
    DriftReport next = pipeline.reconcile();
    assertThat(next.errors()).isEmpty();
    assertThat(next.revision().commit()).isEqualTo(v2);
    assertThat(next.result()).isEqualTo(RunResult.APPLIED);
    System.out.printf("figure: fetch cut mid-transfer: %s%n", cut.errors());
  }

  /** Whether JGit is receiving a pack into the clone (its temporary incoming pack exists). */
  private static boolean receiving(Path data, long atLeast) throws Exception {
    if (!Files.isDirectory(data.resolve("git"))) {
      return false;
    }
    try (Stream<Path> files = Files.walk(data.resolve("git"))) {
      return files.anyMatch(
          p -> p.getFileName().toString().startsWith("incoming_") && sizeOf(p) >= atLeast);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** JGit's Git server over HTTP in this JVM, so the child JVM's heap holds the client only. */
  private String serve(Path bare) throws Exception {
    server = new SlowGitServer(bare, 0);
    return server.start();
  }

  record Probe(int exit, String output) {}

  /** Runs {@link LargeRepoProbe} in a JVM with a 40 MiB heap: less than the file it fetches. */
  private static Probe probe(String url, Path data) throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx40m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-cp");
    command.add(classpath);
    command.add(LargeRepoProbe.class.getName());
    command.add(url);
    command.add(data.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Probe(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
