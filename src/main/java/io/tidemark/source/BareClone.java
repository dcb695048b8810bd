package io.tidemark.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.PackInvalidException;
import org.eclipse.jgit.errors.PackMismatchException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.file.WindowCacheConfig;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.util.FileUtils;

/**
 * The bare clone of one remote under {@code git/}: created empty on first use, fetched into with
 * forced refspecs (so rewritten branches and moved tags follow the remote), checked for damage
 * before each use, and deleted when damaged.
 */
final class BareClone {

  static final String REMOTE_BRANCHES = "refs/remotes/origin/";

  /**
   * Blobs larger than this are streamed, never held whole. JGit's default (50 MiB) would let one
   * large file of a repository take 50 MiB of heap at each checkout.
   */
  static final int STREAM_FILE_THRESHOLD = 1024 * 1024;

  static {
    // JGit keeps this setting in a process-wide cache configuration: set once, when the first
    // clone is opened.
    WindowCacheConfig cache = new WindowCacheConfig();
    cache.setStreamFileThreshold(STREAM_FILE_THRESHOLD);
    cache.install();
  }

  private static final String[] REFSPECS = {
    "+refs/heads/*:" + REMOTE_BRANCHES + "*", "+refs/tags/*:refs/tags/*"
  };

  private final Path dir;

  BareClone(Path gitRoot, String url) {
    this.dir = gitRoot.resolve(dirName(url));
  }

  Path dir() {
    return dir;
  }

  /**
   * Opens the clone, creating an empty one when there is none. The caller closes the repository.
   *
   * @throws BrokenCloneException when the directory exists but is no sound repository
   */
  Repository open() throws IOException, BrokenCloneException {
    if (!Files.exists(dir)) {
      Files.createDirectories(dir.getParent());
      try (Git git = Git.init().setBare(true).setDirectory(dir.toFile()).call()) {
        // JGit's automatic gc after a fetch would otherwise run on a background thread, racing
        // with a later delete of this folder; in the foreground it runs under the sync lock.
        StoredConfig config = git.getRepository().getConfig();
        config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, "autoDetach", false);
        config.save();
      } catch (GitAPIException e) {
        throw new IOException("cannot create a repository in " + dir, e);
      }
    }
    Repository repo;
    try {
      repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    } catch (IOException | RuntimeException e) {
      throw new BrokenCloneException("not a repository: " + e.getMessage(), e);
    }
    try {
      check(repo);
      return repo;
    } catch (BrokenCloneException e) {
      repo.close();
      throw e;
    }
  }

  /** Fetches every branch and tag, forced, pruning what the remote deleted. */
  void fetch(Repository repo, String url, GitAuth auth) throws GitAPIException {
    auth.configure(
            Git.wrap(repo)
                .fetch()
                .setRemote(url)
                .setRefSpecs(REFSPECS)
                .setTagOpt(TagOpt.NO_TAGS)
                .setRemoveDeletedRefs(true))
        .call();
  }

  /** Fetches one commit by id, for a pinned commit that no branch or tag reaches. */
  void fetchCommit(Repository repo, String url, String commit, GitAuth auth)
      throws GitAPIException {
    auth.configure(
            Git.wrap(repo)
                .fetch()
                .setRemote(url)
                .setRefSpecs("+" + commit + ":refs/pinned/" + commit)
                .setTagOpt(TagOpt.NO_TAGS))
        .call();
  }

  void delete() throws IOException {
    if (Files.exists(dir)) {
      FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
    }
  }

  /** Whether a failure comes from damaged local objects rather than from the remote. */
  static boolean isLocalDamage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MissingObjectException
          || t instanceof CorruptObjectException
          || t instanceof PackInvalidException
          || t instanceof PackMismatchException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  // Cheap checks that catch the usual damage (garbage HEAD, config or refs, lost objects)
  // without a full fsck.
  private static void check(Repository repo) throws BrokenCloneException {
    try {
      repo.getConfig().getInt("core", "repositoryformatversion", 0);
      Ref head = repo.exactRef(Constants.HEAD);
      if (head == null || !head.isSymbolic()) {
        throw new BrokenCloneException("HEAD is not a symbolic ref", null);
      }
      for (Ref ref : repo.getRefDatabase().getRefs()) {
        ObjectId id = ref.getObjectId();
        if (id != null && !repo.getObjectDatabase().has(id)) {
          throw new BrokenCloneException(
              "object " + id.name() + " of " + ref.getName() + " is missing", null);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new BrokenCloneException(e.getMessage(), e);
    }
  }

  /** A readable, stable directory name: the repository's last path segment and a URL hash. */
  static String dirName(String url) {
    // "repo.git/" and "repo.git" are the same remote, and share a clone.
    // "repo.git/" and "repo.git" are the same remote, and share a clone.
    String trimmed = url.replaceAll("[/\\\\]+$", "");
    String last =
        trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':')) + 1);
    String slug = last.replaceAll("\\.git$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    if (slug.isEmpty() || slug.startsWith(".")) {
      slug = "repo";
    }
    slug = slug.length() > 40 ? slug.substring(0, 40) : slug;
    return slug.toLowerCase(Locale.ROOT) + "-" + sha256(trimmed).substring(0, 16) + ".git";
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
