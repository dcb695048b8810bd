package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JGitSourceRecoveryTest {

  @TempDir Path temp;
  private OriginRepo origin;
  private Path workDir;
  private JGitSource source;

  @BeforeEach
  void createOriginAndSource() throws Exception {
    origin = OriginRepo.create(temp.resolve("origin.git"));
    workDir = temp.resolve("data");
    source = newSource(origin.fileUrl());
  }

  @AfterEach
  void close() {
    source.close();
    origin.close();
  }

  private JGitSource newSource(String url) {
    return new JGitSource(GitSettings.of(url, FollowedRef.branch("main"), workDir));
  }

  private Path cloneDir() {
    return new BareClone(workDir.resolve("git"), origin.fileUrl()).dir();
  }

  @Test
  void reportsAMissingBranchAndKeepsTheLastGoodRevision() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    Revision good = source.sync();
    origin.commitFile("other", "a.txt", "two");
    origin.deleteBranch("main");

    assertThatThrownBy(source::sync)
        .isInstanceOf(SourceException.class)
        .hasMessage("branch 'main' not found in " + origin.fileUrl());
    assertThat(source.current()).contains(good);
  }

  @Test
  void reportsABranchMissingFromTheStart() throws Exception {
    origin.commitFile("dev", "a.txt", "one");

    assertThatThrownBy(source::sync)
        .isInstanceOf(SourceException.class)
        .hasMessage("branch 'main' not found in " + origin.fileUrl());
    assertThat(source.current()).isEmpty();
  }

  @Test
  void reportsADeletedRemoteAsUnreachableAndKeepsTheLastGoodRevision() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    Revision good = source.sync();
    origin.close();
    FileUtils.delete(origin.dir().toFile(), FileUtils.RECURSIVE);

    assertThatThrownBy(source::sync)
        .isInstanceOf(SourceException.class)
        .hasMessageContaining(origin.fileUrl())
        .hasMessageContaining("does not exist");
    assertThat(source.current()).contains(good);
  }

  @Test
  void reportsAClosedPortAsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/repo.git";
    try (JGitSource closed = newSource(url)) {
      assertThatThrownBy(closed::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("remote " + url + " is unreachable");
      assertThat(closed.current()).isEmpty();
    }
  }

  @Test
  void reportsAFolderThatIsNoRepository() throws Exception {
    Path plain = Files.createDirectories(temp.resolve("plain"));
    Files.writeString(plain.resolve("README"), "not git");
    try (JGitSource notGit = newSource(plain.toUri().toString())) {
      assertThatThrownBy(notGit::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("is not a git repository");
    }
  }

  /** Ways a clone breaks; a garbage ref may also be healed by the next forced fetch. */
  enum Damage {
    GARBAGE_CONFIG,
    GARBAGE_HEAD,
    MISSING_OBJECTS,
    GARBAGE_REF,
    FILE_INSTEAD_OF_FOLDER
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void clonesAgainWhenTheLocalCloneIsDamaged(Damage damage) throws Exception {
    origin.commitFile("main", "a.txt", "one");
    source.sync();
    damage(cloneDir(), damage);
    ObjectId next = origin.commitFile("main", "a.txt", "two");

    try (LogCapture logs = new LogCapture()) {
      Revision revision = source.sync();

      assertThat(revision.commit()).isEqualTo(next.name());
      assertThat(revision.tree().resolve("a.txt")).hasContent("two");
      if (damage != Damage.GARBAGE_REF) {
        assertThat(logs.contains("WARN", "is damaged")).isTrue();
      }
    }
    assertThat(source.sync().commit()).isEqualTo(next.name());
  }

  private static void damage(Path clone, Damage damage) throws IOException {
    switch (damage) {
      case GARBAGE_CONFIG -> Files.writeString(clone.resolve("config"), "[core\n\u0000garbage");
      case GARBAGE_HEAD -> Files.writeString(clone.resolve("HEAD"), "garbage\n");
      case GARBAGE_REF ->
          Files.writeString(clone.resolve("refs/remotes/origin/main"), "not an object id\n");
      case MISSING_OBJECTS -> {
        try (Stream<Path> objects = Files.list(clone.resolve("objects"))) {
          for (Path dir : objects.toList()) {
            if (!dir.getFileName().toString().equals("info")) {
              FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE);
            }
          }
        }
      }
      case FILE_INSTEAD_OF_FOLDER -> {
        FileUtils.delete(clone.toFile(), FileUtils.RECURSIVE);
        Files.writeString(clone, "garbage");
      }
    }
  }

  @Test
  void remembersTheCurrentRevisionAcrossARestartWithoutTheNetwork() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    Revision before = source.sync();
    source.close();
    origin.close();
    FileUtils.delete(origin.dir().toFile(), FileUtils.RECURSIVE);

    source = newSource(origin.fileUrl());

    assertThat(source.current()).contains(before);
  }

  @Test
  void forgetsTheRevisionOfAnotherRefAfterARestart() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    source.sync();
    source.close();

    source = new JGitSource(GitSettings.of(origin.fileUrl(), FollowedRef.branch("dev"), workDir));

    assertThat(source.current()).isEmpty();
  }
}
