package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGitSourceTest {

  @TempDir Path temp;
  private OriginRepo origin;
  private Path workDir;
  private final List<JGitSource> sources = new ArrayList<>();

  @BeforeEach
  void createOrigin() throws Exception {
    origin = OriginRepo.create(temp.resolve("origin.git"));
    workDir = temp.resolve("data");
  }

  @AfterEach
  void closeAll() {
    sources.forEach(JGitSource::close);
    origin.close();
  }

  private JGitSource source(FollowedRef ref) {
    JGitSource source = new JGitSource(GitSettings.of(origin.fileUrl(), ref, workDir));
    sources.add(source);
    return source;
  }

  @Test
  void clonesOnFirstSyncAndChecksOutTheFiles() throws Exception {
    ObjectId commit =
        origin
            .commitOn("main")
            .file("stacks/app.yml", "services: {}\n")
            .executable("bin/run.sh", "#!/bin/sh\n")
            .commit("first stack");
    JGitSource source = source(FollowedRef.branch("main"));

    Revision revision = source.sync();

    assertThat(revision.commit()).isEqualTo(commit.name());
    assertThat(revision.info().author()).isEqualTo(OriginRepo.AUTHOR);
    assertThat(revision.info().message()).isEqualTo("first stack");
    assertThat(revision.info().time()).isEqualTo(Instant.parse("2025-01-01T10:01:00Z"));
    assertThat(revision.tree()).isEqualTo(workDir.resolve("checkouts").resolve(commit.name()));
    assertThat(revision.tree().resolve("stacks/app.yml")).hasContent("services: {}");
    assertThat(Files.getPosixFilePermissions(revision.tree().resolve("bin/run.sh")))
        .extracting(Object::toString)
        .contains("OWNER_EXECUTE", "GROUP_EXECUTE", "OTHERS_EXECUTE")
        .doesNotContain("OWNER_WRITE");
    assertThat(Files.getPosixFilePermissions(revision.tree().resolve("stacks/app.yml")))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "GROUP_READ", "OTHERS_READ");
    try (var clones = Files.list(workDir.resolve("git"))) {
      assertThat(clones.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.matches("origin-[0-9a-f]{16}\\.git"));
    }
    assertThat(source.current()).contains(revision);
  }

  @Test
  void picksUpANewCommitOnTheNextSyncWithoutCloningAgain() throws Exception {
    ObjectId first = origin.commitFile("main", "a.txt", "one");
    JGitSource source = source(FollowedRef.branch("main"));
    Revision before = source.sync();
    Path marker = new BareClone(workDir.resolve("git"), origin.fileUrl()).dir().resolve("marker");
    Files.writeString(marker, "still the same clone");

    ObjectId second = origin.commitFile("main", "a.txt", "two");
    Revision after = source.sync();

    assertThat(before.commit()).isEqualTo(first.name());
    assertThat(after.commit()).isEqualTo(second.name());
    assertThat(after.tree().resolve("a.txt")).hasContent("two");
    assertThat(before.tree().resolve("a.txt")).hasContent("one");
    assertThat(marker).exists();
  }

  @Test
  void returnsTheSameRevisionWhenNothingChanged() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    JGitSource source = source(FollowedRef.branch("main"));

    assertThat(source.sync()).isSameAs(source.sync());
  }

  @Test
  void followsAnAnnotatedTagAndItsMoves() throws Exception {
    ObjectId tagged = origin.commitFile("main", "a.txt", "released");
    origin.tag("v1", tagged);
    origin.commitFile("main", "a.txt", "unreleased");
    JGitSource source = source(FollowedRef.tag("v1"));

    assertThat(source.sync().commit()).isEqualTo(tagged.name());

    ObjectId retagged = origin.commitFile("main", "a.txt", "re-released");
    origin.tag("v1", retagged);
    assertThat(source.sync().tree().resolve("a.txt")).hasContent("re-released");
    assertThat(source.ref()).isEqualTo("tags/v1");
  }

  @Test
  void staysOnAPinnedCommitAndNeedsNoNetworkOnceItIsHere() throws Exception {
    ObjectId pinned = origin.commitFile("main", "a.txt", "pinned");
    origin.commitFile("main", "a.txt", "later");
    JGitSource source = source(FollowedRef.commit(pinned.name().substring(0, 10)));

    assertThat(source.sync().commit()).isEqualTo(pinned.name());

    origin.commitFile("main", "a.txt", "even later");
    origin.close();
    FileUtils.delete(origin.dir().toFile(), FileUtils.RECURSIVE);
    Revision again = source.sync();
    assertThat(again.commit()).isEqualTo(pinned.name());
    assertThat(again.tree().resolve("a.txt")).hasContent("pinned");
  }

  @Test
  void reportsAPinnedCommitThatDoesNotExist() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    JGitSource source = source(FollowedRef.commit("0123456789abcdef0123456789abcdef01234567"));

    assertThatThrownBy(source::sync)
        .isInstanceOf(SourceException.class)
        .hasMessage(
            "commit '0123456789abcdef0123456789abcdef01234567' not found in " + origin.fileUrl());
  }

  @Test
  void followsABranchThatWasForcePushedToUnrelatedHistory() throws Exception {
    origin.commitFile("main", "a.txt", "old history");
    JGitSource source = source(FollowedRef.branch("main"));
    Revision before = source.sync();

    ObjectId rewritten =
        origin.commitOn("main").orphan().file("b.txt", "new history").commit("rewrite");
    try (LogCapture logs = new LogCapture()) {
      Revision after = source.sync();

      assertThat(after.commit()).isEqualTo(rewritten.name());
      assertThat(after.tree().resolve("b.txt")).hasContent("new history");
      assertThat(after.tree().resolve("a.txt")).doesNotExist();
      assertThat(logs.contains("INFO", "history of branch 'main'")).isTrue();
      assertThat(logs.contains("INFO", before.commit().substring(0, 12))).isTrue();
    }
  }

  @Test
  void servesConcurrentCallersFromOneSyncAtATime() throws Exception {
    ObjectId commit = origin.commitFile("main", "a.txt", "one");
    JGitSource source = source(FollowedRef.branch("main"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Revision>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(source::sync);
      }
      List<Revision> results = new ArrayList<>();
      for (Future<Revision> future : pool.invokeAll(calls)) {
        results.add(future.get());
      }
      assertThat(results).extracting(Revision::commit).containsOnly(commit.name());
      // Unchanged commits hand back the very same Revision, so every caller shares one object.
      assertThat(results).allSatisfy(r -> assertThat(r).isSameAs(results.get(0)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tracksPushesToTheFollowedRefOnly() {
    JGitSource branch = source(FollowedRef.branch("main"));
    JGitSource tag = source(FollowedRef.tag("v1"));
    JGitSource pinned = source(FollowedRef.commit("0123456789abcdef"));

    assertThat(branch.tracks("refs/heads/main")).isTrue();
    assertThat(branch.tracks("main")).isTrue();
    assertThat(branch.tracks("refs/heads/dev")).isFalse();
    assertThat(branch.tracks("refs/tags/main")).isFalse();
    assertThat(branch.tracks(null)).isFalse();
    assertThat(tag.tracks("refs/tags/v1")).isTrue();
    assertThat(tag.tracks("refs/heads/v1")).isFalse();
    assertThat(pinned.tracks("refs/heads/main")).isFalse();
    assertThat(pinned.ref()).isEqualTo("0123456789abcdef");
    assertThat(branch.ref()).isEqualTo("main");
  }
}
