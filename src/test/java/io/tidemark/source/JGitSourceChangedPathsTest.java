package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.testing.GitFixture;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paths a push changed, read from the trees of two fetched commits of a real repository. */
class JGitSourceChangedPathsTest {

  @TempDir Path temp;
  private GitFixture repo;
  private JGitSource source;

  @BeforeEach
  void setUp() {
    repo = GitFixture.create(temp.resolve("repo"));
    source =
        new JGitSource(
            GitSettings.of(repo.url(), FollowedRef.branch("main"), temp.resolve("work")));
  }

  @AfterEach
  void tearDown() {
    source.close();
    repo.close();
  }

  @Test
  void listsAddedModifiedAndDeletedFilesBetweenTwoCommits() throws Exception {
    repo.write("a/stack.yml", "a1").write("b/stack.yml", "b1").write("shared/app.env", "X=1");
    String first = repo.commitAndPush("first");
    source.sync();
    repo.write("a/stack.yml", "a2").write("c/new.yml", "c").delete("shared/app.env");
    String second = repo.commitAndPush("second");
    source.sync();

    assertThat(source.changedPaths(first, second))
        .contains(Set.of("a/stack.yml", "c/new.yml", "shared/app.env"));
  }

  @Test
  void reportsNothingChangedForTheSameCommit() throws Exception {
    repo.write("a/stack.yml", "a1");
    String only = repo.commitAndPush("only");
    source.sync();

    assertThat(source.changedPaths(only, only)).contains(Set.of());
  }

  @Test
  void cannotTellForACommitThatIsNotInTheClone() throws Exception {
    repo.write("a/stack.yml", "a1");
    String only = repo.commitAndPush("only");
    source.sync();

    assertThat(source.changedPaths("0123456789012345678901234567890123456789", only))
        .isEqualTo(Optional.empty());
    assertThat(source.changedPaths("not-a-commit", only)).isEmpty();
  }
}
