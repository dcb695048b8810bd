package io.tidemark.source;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Lists the files that differ between two commits of a clone, by a recursive diff of their trees
 * (no file content is read: equal blob ids are equal files).
 */
final class ChangedPaths {

  private ChangedPaths() {}

  /** The changed paths, or empty when either commit is not in the clone. */
  static Optional<Set<String>> between(Repository repo, String from, String to) throws IOException {
    ObjectId fromId = ObjectId.fromString(from);
    ObjectId toId = ObjectId.fromString(to);
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader);
        TreeWalk tree = new TreeWalk(reader)) {
      if (!reader.has(fromId) || !reader.has(toId)) {
        return Optional.empty();
      }
      tree.setRecursive(true);
      tree.addTree(walk.parseCommit(fromId).getTree());
      tree.addTree(walk.parseCommit(toId).getTree());
      Set<String> paths = new TreeSet<>();
      for (DiffEntry entry : DiffEntry.scan(tree)) {
        if (!DiffEntry.DEV_NULL.equals(entry.getOldPath())) {
          paths.add(entry.getOldPath());
        }
        if (!DiffEntry.DEV_NULL.equals(entry.getNewPath())) {
          paths.add(entry.getNewPath());
        }
      }
      return Optional.of(paths);
    }
  }
}
