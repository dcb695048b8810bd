package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderSourceTest {

  @TempDir Path dir;

  @Test
  void aPlainFolderIsItsOwnRevisionNamedLocal() throws Exception {
    Files.writeString(dir.resolve("docker-stack.yml"), "services: {}\n");

    Revision revision = new LocalFolderSource(dir).sync();

    assertThat(revision.commit()).isEqualTo(LocalFolderSource.LOCAL);
    assertThat(revision.tree()).isEqualTo(dir.toAbsolutePath().normalize());
  }

  @Test
  void aFolderInACleanWorkTreeIsNamedByTheHeadCommit() throws Exception {
    GitFixture repo = GitFixture.create(dir);
    String commit =
        repo.write("stacks/web/docker-stack.yml", "services: {}\n").commitAndPush("web");

    Revision revision = new LocalFolderSource(repo.workTree().resolve("stacks/web")).sync();

    assertThat(revision.commit()).isEqualTo(commit);
    assertThat(revision.info().author()).isEqualTo("Platform Team");
    assertThat(revision.info().message()).isEqualTo("web");
  }

  @Test
  void uncommittedChangesInTheFolderMarkTheCommitDirtyButElsewhereDoNot() throws Exception {
    GitFixture repo = GitFixture.create(dir);
    repo.write("stacks/web/docker-stack.yml", "services: {}\n");
    String commit = repo.write("stacks/db/docker-stack.yml", "services: {}\n").commitAndPush("two");
    repo.write("stacks/db/docker-stack.yml", "services: {db: {image: x}}\n");

    Revision web = new LocalFolderSource(repo.workTree().resolve("stacks/web")).sync();
    Revision db = new LocalFolderSource(repo.workTree().resolve("stacks/db")).sync();

    assertThat(web.commit()).isEqualTo(commit);
    assertThat(db.commit()).isEqualTo(commit + "-dirty");
    assertThat(db.info().message()).isEqualTo("two (plus uncommitted changes)");
  }

  @Test
  void aMissingFolderFailsTheFetch() {
    assertThatThrownBy(() -> new LocalFolderSource(dir.resolve("nope")).sync())
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("does not exist");
  }
}
