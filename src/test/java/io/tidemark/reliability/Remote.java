package io.tidemark.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand.ResetType;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A real Git remote for fault tests: a bare repository Tidemark fetches over file://, and a work
 * tree that the test commits to, force-pushes from, and deletes branches with, as a careless or
 * hostile platform team might.
 */
final class Remote implements AutoCloseable {

  private static final PersonIdent WHO = new PersonIdent("Platform Team", "platform@example.com");

  private final Path bare;
  private final Path work;
  private final Git git;

  private Remote(Path bare, Path work, Git git) {
    this.bare = bare;
    this.work = work;
    this.git = git;
  }

  static Remote create(Path dir) throws GitAPIException {
    Path bare = dir.resolve("remote.git");
    Path work = dir.resolve("work");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
    Git git =
        Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(work.toFile()).call();
    return new Remote(bare, work, git);
  }

  String url() {
    return bare.toUri().toString();
  }

  Path bare() {
    return bare;
  }

  Remote write(String path, String content) throws IOException {
    Path file = work.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  /** A file of {@code bytes} random (incompressible) bytes, written in 1 MiB pieces. */
  Remote writeRandom(String path, long bytes) throws IOException {
    Path file = work.resolve(path);
    Files.createDirectories(file.getParent());
    Random random = new Random(42);
    byte[] chunk = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
    return this;
  }

  Remote symlink(String path, String target) throws IOException {
    Path link = work.resolve(path);
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, Path.of(target));
    return this;
  }

  /** Commits everything and pushes to main; returns the commit id. */
  String commitAndPush(String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    String id = git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).call().getName();
    push(false);
    return id;
  }

  /** Moves the work tree back to {@code commit}, dropping what came after it. */
  Remote resetHard(String commit) throws GitAPIException {
    git.reset().setMode(ResetType.HARD).setRef(commit).call();
    return this;
  }

  /** Commits everything and force-pushes to main, rewriting its history. */
  String commitAndForcePush(String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    String id = git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).call().getName();
    push(true);
    return id;
  }

  /** Deletes main on the remote. */
  void deleteMain() throws GitAPIException {
    git.push().setRemote("origin").setRefSpecs(new RefSpec(":refs/heads/main")).call();
  }

  private void push(boolean force) throws GitAPIException {
    // A clone of an empty repository starts on JGit's default branch: push HEAD as main.
    git.push()
        .setRemote("origin")
        .setForce(force)
        .setRefSpecs(new RefSpec((force ? "+" : "") + "HEAD:refs/heads/main"))
        .call();
  }

  @Override
  public void close() {
    git.close();
  }
}
