package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGitSourceCheckoutTest {

  @TempDir Path temp;
  private OriginRepo origin;
  private Path workDir;
  private JGitSource source;

  @BeforeEach
  void createOriginAndSource() throws Exception {
    origin = OriginRepo.create(temp.resolve("origin.git"));
    workDir = temp.resolve("data");
    source = new JGitSource(GitSettings.of(origin.fileUrl(), FollowedRef.branch("main"), workDir));
  }

  @AfterEach
  void close() {
    source.close();
    origin.close();
  }

  @Test
  void materialisesOnlySymlinksThatStayInsideTheCheckout() throws Exception {
    Files.writeString(temp.resolve("secret.txt"), "outside");
    origin
        .commitOn("main")
        .file("config/app.yml", "port: 80\n")
        .symlink("current.yml", "config/app.yml")
        .symlink("config/self.yml", "../current.yml")
        .symlink("config/up", "..")
        .symlink("escape.txt", "../../secret.txt")
        .symlink("absolute.txt", "/etc/passwd")
        .symlink("via-link", "config/up/..")
        .commit("links");

    try (LogCapture logs = new LogCapture()) {
      Path tree = source.sync().tree();

      assertThat(tree.resolve("current.yml")).isSymbolicLink().hasContent("port: 80");
      assertThat(tree.resolve("config/self.yml")).isSymbolicLink().hasContent("port: 80");
      assertThat(tree.resolve("config/up")).isSymbolicLink();
      for (String escaping : List.of("escape.txt", "absolute.txt", "via-link")) {
        assertThat(Files.exists(tree.resolve(escaping), LinkOption.NOFOLLOW_LINKS))
            .as(escaping)
            .isFalse();
        assertThat(logs.contains("WARN", "skipping symlink " + escaping)).as(escaping).isTrue();
      }
    }
  }

  @Test
  void keepsTheThreeNewestCheckouts() throws Exception {
    List<ObjectId> commits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      commits.add(origin.commitFile("main", "a.txt", "version " + i));
      source.sync();
    }

    assertThat(checkoutNames())
        .containsExactlyInAnyOrder(
            commits.get(2).name(), commits.get(3).name(), commits.get(4).name());
    assertThat(source.current().orElseThrow().tree().resolve("a.txt")).hasContent("version 4");
  }

  @Test
  void reusesAnExistingCheckoutWhenTheBranchMovesBack() throws Exception {
    ObjectId first = origin.commitFile("main", "a.txt", "one");
    Path firstTree = source.sync().tree();
    origin.commitFile("main", "a.txt", "two");
    source.sync();

    origin.resetBranch("main", first);
    Revision back = source.sync();

    assertThat(back.commit()).isEqualTo(first.name());
    assertThat(back.tree()).isEqualTo(firstTree);
    assertThat(Files.readString(back.tree().resolve("a.txt"))).isEqualTo("one");
    assertThat(checkoutNames()).hasSize(2).noneMatch(name -> name.startsWith(".tmp"));
  }

  private List<String> checkoutNames() throws Exception {
    try (Stream<Path> dirs = Files.list(workDir.resolve("checkouts"))) {
      return dirs.map(p -> p.getFileName().toString()).toList();
    }
  }
}
