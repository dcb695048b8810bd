package io.tidemark.source;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jboss.logging.Logger;

/**
 * The immutable trees under {@code checkouts/<commit>/}: each is exported to a temporary folder and
 * renamed into place in one step, reused when present, and only the most recently used few are
 * kept.
 */
final class Checkouts {

  static final int KEEP = 3;
  private static final String TEMP_PREFIX = ".tmp-";
  // A temporary folder this old belongs to an export that crashed, not to one in progress.
  private static final Duration STALE_TEMP = Duration.ofMinutes(10);
  private static final Logger LOG = Logger.getLogger(Checkouts.class);

  private final Path root;
  private final TreeExporter exporter;

  Checkouts(Path root) {
    this.root = root;
    this.exporter =
        new TreeExporter(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  Path pathOf(String commit) {
    return root.resolve(commit);
  }

  /** The checkout of {@code commit}, exported now unless it already exists. */
  Path materialise(Repository repo, RevCommit commit) throws IOException {
    Path dir = pathOf(commit.name());
    if (Files.isDirectory(dir)) {
      markUsed(dir);
      return dir;
    }
    Files.createDirectories(root);
    Path temp = Files.createTempDirectory(root, TEMP_PREFIX + commit.name() + "-");
    try {
      exporter.export(repo, commit, temp.toAbsolutePath().normalize());
      Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      FileTrees.delete(temp);
      throw e;
    }
    markUsed(dir);
    LOG.debugf("checked out %s into %s", commit.name(), dir);
    return dir;
  }

  /** Deletes all but the {@link #KEEP} most recently used checkouts; never {@code current}. */
  void prune(Path current) {
    List<Path> entries;
    try (Stream<Path> list = Files.list(root)) {
      entries = list.collect(Collectors.toList());
    } catch (IOException e) {
      LOG.warnf("cannot list %s: %s", root, e.getMessage());
      return;
    }
    List<Path> checkouts =
        entries.stream()
            .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
            .filter(Files::isDirectory)
            .sorted(Comparator.comparing(Checkouts::lastUsed).reversed())
            .collect(Collectors.toList());
    int others = 0;
    for (Path dir : checkouts) {
      if (dir.equals(current)) {
        continue;
      }
      if (others < KEEP - 1) {
        others++;
        continue;
      }
      deleteQuietly(dir);
    }
    Instant staleBefore = Instant.now().minus(STALE_TEMP);
    entries.stream()
        .filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
        .filter(p -> lastUsed(p).isBefore(staleBefore))
        .forEach(this::deleteQuietly);
  }

  private void deleteQuietly(Path dir) {
    try {
      FileTrees.delete(dir);
      LOG.debugf("deleted old checkout %s", dir);
    } catch (IOException e) {
      LOG.warnf("cannot delete old checkout %s: %s", dir, e.getMessage());
    }
  }

  private static void markUsed(Path dir) throws IOException {
    Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
  }

  private static Instant lastUsed(Path dir) {
    try {
      return Files.getLastModifiedTime(dir).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }
}
