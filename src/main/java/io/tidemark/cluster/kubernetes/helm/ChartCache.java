package io.tidemark.cluster.kubernetes.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Chart archives by digest in a folder ({@code <data-dir>/helm/charts}): each archive stored once
 * as {@code sha256-<hex>.tgz} after its digest was checked, unpacked once beside it, and the digest
 * each pinned version resolved to ({@code pins/}), so that a reconcile of an unchanged release
 * reads no repository, even after a restart. Every write is a rename, so a crash leaves either
 * nothing or a whole entry.
 */
final class ChartCache {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final Path dir;

  ChartCache(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  /** The digest {@code ref} was resolved to before, if it was. */
  Optional<String> pinned(ChartReference ref) {
    Path pin = pinFile(ref);
    try {
      if (!Files.isRegularFile(pin)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pin, StandardCharsets.UTF_8);
      // The first line is the reference (a hash collision shows as a mismatch), the second the
      // digest.
      if (lines.size() >= 2
          && lines.get(0).equals(key(ref))
          && DIGEST.matcher(lines.get(1)).matches()) {
        return Optional.of(lines.get(1));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // an unreadable pin is resolved again
    }
  }

  /** Remembers that {@code ref} is the archive of {@code digest}. */
  void pin(ChartReference ref, String digest) {
    write(pinFile(ref), (key(ref) + "\n" + digest + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the archive of {@code digest} is stored. */
  boolean has(String digest) {
    return Files.isRegularFile(archive(digest));
  }

  /** Stores an archive whose digest the caller checked. */
  void store(String digest, byte[] archive) {
    write(archive(digest), archive);
  }

  /**
   * The chart folder of {@code digest}'s archive, unpacked on first use; empty when the archive is
   * not stored.
   */
  Optional<Path> chart(String digest, String what) throws ChartFetchException {
    Path unpacked = dir.resolve(name(digest));
    if (!Files.isDirectory(unpacked)) {
      if (!has(digest)) {
        return Optional.empty();
      }
      unpack(digest, unpacked, what);
    }
    return Optional.of(root(unpacked, what));
  }

  private void unpack(String digest, Path unpacked, String what) throws ChartFetchException {
    Path temp;
    try {
      temp = Files.createTempDirectory(dir, ".unpack-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      byte[] archive = Files.readAllBytes(archive(digest));
      if (!digest.equals(sha256(archive))) {
        Files.delete(archive(digest)); // changed on disk since it was checked: fetch it again
        throw new ChartFetchException(
            what + ": the cached archive was damaged; fetched anew next time");
      }
      ChartArchive.unpack(archive, temp, what);
      Files.move(temp, unpacked, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // another target unpacked the same chart meanwhile: theirs is as good
    } catch (IOException e) {
      if (!Files.isDirectory(unpacked)) {
        throw new UncheckedIOException(e);
      }
    } finally {
      deleteTree(temp);
    }
  }

  /** The one folder of an unpacked archive that holds a Chart.yaml. */
  private static Path root(Path unpacked, String what) throws ChartFetchException {
    try (Stream<Path> list = Files.list(unpacked)) {
      List<Path> charts =
          list.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml"))).sorted().toList();
      if (charts.size() != 1) {
        throw new ChartFetchException(
            what + ": the archive holds " + charts.size() + " charts, not one");
      }
      return charts.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code sha256:<hex>} of {@code bytes}. */
  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Path archive(String digest) {
    return dir.resolve(name(digest) + ".tgz");
  }

  private static String name(String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.replace(':', '-');
  }

  private Path pinFile(ChartReference ref) {
    String hash = sha256(key(ref).getBytes(StandardCharsets.UTF_8)).substring(7);
    return dir.resolve("pins").resolve(hash);
  }

  private static String key(ChartReference ref) {
    return ref.repository() + " " + ref.chart() + " " + ref.version();
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".part-", ".tmp");
      Files.write(temp, bytes);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart cache " + file.getParent(), e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary folder is skipped next time (it starts with a dot)
    }
  }
}
