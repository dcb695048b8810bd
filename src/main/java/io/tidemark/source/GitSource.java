package io.tidemark.source;

import java.util.Optional;
import java.util.Set;

/**
 * One Git repository that targets read their desired state from. It clones once, fetches
 * incrementally, and hands out immutable checkouts of the tracked ref.
 */
public interface GitSource {

  /**
   * Fetches the remote and returns the revision of the tracked ref, checked out on disk. On failure
   * the last good revision stays available through {@link #current()}.
   */
  Revision sync() throws SourceException;

  /** The last revision {@link #sync()} returned, if any (also after a restart, from disk). */
  Optional<Revision> current();

  /**
   * The checkout of an earlier commit already fetched, without touching the network; empty when it
   * is not in the local clone (or the source keeps no history).
   */
  default Optional<Revision> revision(String commit) {
    return Optional.empty();
  }

  /** The remote URL, without credentials. */
  String url();

  /** The ref followed: a branch name, {@code tags/NAME} or a commit id. */
  String ref();

  /**
   * Whether a push to {@code refName} (as webhooks name it, e.g. {@code refs/heads/main}) moves the
   * followed ref.
   */
  boolean tracks(String refName);

  /**
   * The paths (relative to the repository root, with forward slashes) of the files that differ
   * between two commits, both sides of a rename included; empty when it cannot tell (a commit is
   * not here, or the source keeps no history), in which case a caller must assume that anything may
   * have changed.
   */
  default Optional<Set<String>> changedPaths(String fromCommit, String toCommit) {
    return Optional.empty();
  }
}
