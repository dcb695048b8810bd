package io.tidemark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A real Git repository for tests: a bare "remote" that Tidemark fetches over file://, and a work
 * tree that the test commits to and pushes from, as a platform team would.
 */
public final class GitFixture implements AutoCloseable {

  private final Path bare;
  private final Path work;
  private final Git git;

  private GitFixture(Path bare, Path work, Git git) {
    this.bare = bare;
    this.work = work;
    this.git = git;
  }

  public static GitFixture create(Path dir) {
    try {
      Path bare = dir.resolve("remote.git");
      Path work = dir.resolve("work");
      Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
      Git git =
          Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(work.toFile()).call();
      return new GitFixture(bare, work, git);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The work tree the test commits from. */
  public Path workTree() {
    return work;
  }

  public String url() {
    return bare.toUri().toString();
  }

  /** Writes a file of the work tree (parents created). */
  public GitFixture write(String path, String content) {
    try {
      Path file = work.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes a file from the work tree and the index. */
  public GitFixture delete(String path) {
    try {
      git.rm().addFilepattern(path).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Commits everything and pushes to main; returns the commit id. */
  public String commitAndPush(String message) {
    try {
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("Platform Team", "platform@example.com");
      String id =
          git.commit().setMessage(message).setAuthor(who).setCommitter(who).call().getName();
      // A clone of an empty repository starts on JGit's default branch: push HEAD as main.
      git.push().setRemote("origin").setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
      return id;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    git.close();
  }
}
