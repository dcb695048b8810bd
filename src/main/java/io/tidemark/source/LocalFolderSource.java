package io.tidemark.source;

import io.tidemark.model.RevisionInfo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jboss.logging.Logger;

/**
 * A {@link GitSource} over a folder on this machine, read as it is now: the revision's tree is the
 * folder itself, named by the HEAD commit of the work tree it belongs to (suffixed {@code -dirty}
 * when the folder has uncommitted changes), or {@code local} outside any Git work tree.
 */
public final class LocalFolderSource implements GitSource {

  private static final Logger LOG = Logger.getLogger(LocalFolderSource.class);

  /** The commit name of a folder that is not in a Git work tree. */
  public static final String LOCAL = "local";

  private final Path folder;
  private volatile Revision current;

  public LocalFolderSource(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
  }

  @Override
  public Revision sync() throws SourceException {
    if (!Files.isDirectory(folder)) {
      throw new SourceException("folder " + folder + " does not exist or is not a directory");
    }
    Revision revision = new Revision(describe(), folder);
    current = revision;
    return revision;
  }

  private RevisionInfo describe() {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(folder.toFile());
    File gitDir = builder.getGitDir();
    if (gitDir == null) {
      return new RevisionInfo(LOCAL, "", "folder " + folder, null);
    }
    try (Repository repo = builder.setMustExist(true).build();
        Git git = new Git(repo);
        RevWalk walk = new RevWalk(repo)) {
      ObjectId head = repo.resolve(Constants.HEAD);
      if (head == null || repo.isBare()) {
        return new RevisionInfo(LOCAL, "", "folder " + folder, null);
      }
      RevCommit commit = walk.parseCommit(head);
      StatusCommand status = git.status();
      Path workTree = repo.getWorkTree().toPath().toAbsolutePath().normalize();
      String relative = workTree.relativize(folder).toString().replace(File.separatorChar, '/');
      if (!relative.isEmpty()) {
        status.addPath(relative);
      }
      boolean dirty = !status.call().isClean();
      return new RevisionInfo(
          dirty ? commit.name() + "-dirty" : commit.name(),
          commit.getAuthorIdent().getName(),
          dirty
              ? commit.getShortMessage() + " (plus uncommitted changes)"
              : commit.getShortMessage(),
          commit.getCommitterIdent().getWhenAsInstant());
    } catch (IOException | GitAPIException | RuntimeException e) {
      // The folder is still readable as files; only its name in the report is less precise.
      LOG.warnf("cannot read the Git state of %s (%s); naming it '%s'", folder, e, LOCAL);
      return new RevisionInfo(LOCAL, "", "folder " + folder, null);
    }
  }

  @Override
  public Optional<Revision> current() {
    return Optional.ofNullable(current);
  }

  @Override
  public String url() {
    return folder.toUri().toString();
  }

  @Override
  public String ref() {
    return LOCAL;
  }

  @Override
  public boolean tracks(String refName) {
    return false;
  }
}
