package io.tidemark.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jboss.logging.Logger;

/**
 * Writes the tree of a commit into an empty directory: files read-only with their executable bit,
 * symlinks only when they point inside the directory, submodules as empty folders.
 */
final class TreeExporter {

  private static final Logger LOG = Logger.getLogger(TreeExporter.class);
  private static final Set<PosixFilePermission> READ_ONLY =
      PosixFilePermissions.fromString("r--r--r--");
  private static final Set<PosixFilePermission> EXECUTABLE =
      PosixFilePermissions.fromString("r-xr-xr-x");

  private final boolean posix;

  TreeExporter(boolean posix) {
    this.posix = posix;
  }

  void export(Repository repo, RevCommit commit, Path root) throws IOException {
    List<Path> links = new ArrayList<>();
    try (ObjectReader reader = repo.newObjectReader();
        TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        String name = walk.getPathString();
        Path target = root.resolve(name).normalize();
        // Git forbids such paths, but a hostile remote could still send one.
        if (!target.startsWith(root) || target.equals(root)) {
          LOG.warnf("skipping %s: the path leaves the checkout", name);
          continue;
        }
        Files.createDirectories(target.getParent());
        FileMode mode = walk.getFileMode(0);
        if (mode == FileMode.SYMLINK) {
          String link =
              new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
          if (writeLink(root, target, link, name)) {
            links.add(target);
          }
        } else if (mode == FileMode.GITLINK) {
          Files.createDirectories(target);
        } else {
          try (OutputStream out = Files.newOutputStream(target)) {
            reader.open(walk.getObjectId(0)).copyTo(out);
          }
          if (posix) {
            Files.setPosixFilePermissions(
                target, mode == FileMode.EXECUTABLE_FILE ? EXECUTABLE : READ_ONLY);
          }
        }
      }
    }
    removeEscapingLinks(root, links);
  }

  // First check: the link's target, read as text, stays inside the checkout.
  private boolean writeLink(Path root, Path link, String target, String name) throws IOException {
    Path resolved = link.getParent().resolve(target).normalize();
    if (target.isEmpty() || Path.of(target).isAbsolute() || !resolved.startsWith(root)) {
      LOG.warnf("skipping symlink %s -> %s: it points outside the repository", name, target);
      return false;
    }
    Files.createSymbolicLink(link, Path.of(target));
    return true;
  }

  // Second check: a target that looks inside can still leave through another link ("a/..").
  private static void removeEscapingLinks(Path root, List<Path> links) throws IOException {
    Path realRoot = root.toRealPath();
    for (Path link : links) {
      String problem;
      try {
        problem =
            link.toRealPath().startsWith(realRoot) ? null : "it points outside the repository";
      } catch (NoSuchFileException e) {
        // Nothing to read there, and what it would reach cannot be checked.
        problem = "it points to nothing in the repository";
      } catch (FileSystemException e) {
        problem = "it is part of a loop of links";
      }
      if (problem != null) {
        LOG.warnf("skipping symlink %s: %s", root.relativize(link), problem);
        Files.delete(link);
      }
    }
  }
}
