package io.tidemark.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A bare repository on disk that plays the remote in tests: commits whole trees (files,
 * executables, symlinks) straight into branches, tags them, and rewrites history like a force push.
 */
final class OriginRepo implements AutoCloseable {

  static final String AUTHOR = "Ada Lovelace";
  private static final Instant BASE_TIME = Instant.parse("2025-01-01T10:00:00Z");

  private final Path dir;
  private final Repository repo;
  private final String fileUrl;
  private int commits;
  private boolean closed;

  private OriginRepo(Path dir, Repository repo) {
    this.dir = dir;
    this.repo = repo;
    // Fixed now: Path.toUri() drops the trailing slash once the folder is gone.
    this.fileUrl = dir.toUri().toString();
  }

  static OriginRepo create(Path dir) throws IOException {
    Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).build();
    repo.create(true);
    return new OriginRepo(dir, repo);
  }

  Path dir() {
    return dir;
  }

  Repository repository() {
    return repo;
  }

  String fileUrl() {
    return fileUrl;
  }

  /** Starts a commit on {@code branch}, on top of its tip. */
  Commit commitOn(String branch) {
    return new Commit(branch);
  }

  /** A commit with one file, on top of {@code branch}. */
  ObjectId commitFile(String branch, String path, String content) throws IOException {
    return commitOn(branch).file(path, content).commit("set " + path + " to " + content);
  }

  void tag(String name, ObjectId commit) throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      TagBuilder tag = new TagBuilder();
      tag.setTag(name);
      tag.setObjectId(commit, Constants.OBJ_COMMIT);
      tag.setTagger(ident());
      tag.setMessage("release " + name);
      ObjectId id = inserter.insert(tag);
      inserter.flush();
      setRef(Constants.R_TAGS + name, id);
    }
  }

  /** Points {@code branch} at {@code commit}, as {@code git push --force} does. */
  void resetBranch(String branch, ObjectId commit) throws IOException {
    setRef(Constants.R_HEADS + branch, commit);
  }

  void deleteBranch(String branch) throws IOException {
    RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
    update.setForceUpdate(true);
    RefUpdate.Result result = update.delete();
    if (result != RefUpdate.Result.FORCED) {
      throw new IOException("cannot delete " + branch + ": " + result);
    }
  }

  private void setRef(String name, ObjectId id) throws IOException {
    RefUpdate update = repo.updateRef(name);
    update.setNewObjectId(id);
    update.setForceUpdate(true);
    RefUpdate.Result result = update.update();
    if (result == RefUpdate.Result.REJECTED || result == RefUpdate.Result.LOCK_FAILURE) {
      throw new IOException("cannot update " + name + ": " + result);
    }
  }

  private PersonIdent ident() {
    return new PersonIdent(
        AUTHOR, "ada@example.org", BASE_TIME.plusSeconds(60L * commits), ZoneOffset.UTC);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      repo.close();
    }
  }

  /** One commit being built: its whole tree is listed, nothing is inherited from the parent. */
  final class Commit {
    private final String branch;
    private final Map<String, Object[]> entries = new TreeMap<>();
    private boolean orphan;

    private Commit(String branch) {
      this.branch = branch;
    }

    Commit file(String path, String content) {
      entries.put(path, new Object[] {FileMode.REGULAR_FILE, content});
      return this;
    }

    Commit executable(String path, String content) {
      entries.put(path, new Object[] {FileMode.EXECUTABLE_FILE, content});
      return this;
    }

    Commit symlink(String path, String target) {
      entries.put(path, new Object[] {FileMode.SYMLINK, target});
      return this;
    }

    /** No parent: the branch is reset to unrelated history, as a force push does. */
    Commit orphan() {
      this.orphan = true;
      return this;
    }

    ObjectId commit(String message) throws IOException {
      try (ObjectInserter inserter = repo.newObjectInserter()) {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, Object[]> entry : entries.entrySet()) {
          byte[] bytes = ((String) entry.getValue()[1]).getBytes(StandardCharsets.UTF_8);
          DirCacheEntry file = new DirCacheEntry(entry.getKey());
          file.setFileMode((FileMode) entry.getValue()[0]);
          file.setObjectId(inserter.insert(Constants.OBJ_BLOB, bytes));
          builder.add(file);
        }
        builder.finish();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(inserter));
        Ref tip = repo.exactRef(Constants.R_HEADS + branch);
        if (tip != null && !orphan) {
          commit.setParentId(tip.getObjectId());
        }
        commits++;
        commit.setAuthor(ident());
        commit.setCommitter(ident());
        commit.setMessage(message + "\n\nmore details in the body\n");
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        setRef(Constants.R_HEADS + branch, id);
        return id;
      }
    }
  }
}
