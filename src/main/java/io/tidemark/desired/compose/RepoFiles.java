package io.tidemark.desired.compose;

import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.desired.sops.SopsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads files of a revision by paths relative to a folder, refusing any path that leaves the
 * repository: absolute paths, {@code ..} that climbs out, and symbolic links that point outside. A
 * file with SOPS metadata is decrypted in memory as it is read; the values it held encrypted are
 * collected, so that whatever they end up in can be masked.
 */
public final class RepoFiles {

  /** The largest file read on behalf of a stack (env files, configs, secrets). */
  public static final long MAX_READ_BYTES = 8L * 1024 * 1024;

  private final Path root;
  private final Path realRoot;
  private final Set<String> read = new TreeSet<>();
  private final SopsDecryptor sops;
  private final Set<String> secrets = new LinkedHashSet<>();

  public RepoFiles(Path root) throws IOException {
    this(root, SopsDecryptor.withoutKeys());
  }

  public RepoFiles(Path root, SopsDecryptor sops) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.sops = sops;
  }

  /** A file's plain bytes, and whether they were decrypted from a SOPS file. */
  public record Content(byte[] bytes, boolean decrypted) {}

  /** Why a path cannot be read. */
  public static final class PathException extends Exception {
    public PathException(String message) {
      super(message);
    }
  }

  /** The path of {@code relative}, resolved against {@code folder} (relative to the root). */
  public Path resolve(String folder, String relative) throws PathException {
    if (relative.startsWith("/") || relative.startsWith("~") || Path.of(relative).isAbsolute()) {
      throw new PathException(
          "path \"" + relative + "\" is absolute; it must be inside the repository");
    }
    Path path = root.resolve(folder).resolve(relative).normalize();
    if (!path.startsWith(root)) {
      throw new PathException("path \"" + relative + "\" escapes the repository");
    }
    // Recorded before the checks below, so a missing file still counts as one the render needs.
    synchronized (read) {
      read.add(display(path));
    }
    if (!Files.exists(path)) {
      // The checkout leaves out links that leave the repository: say so, as Git still lists them.
      throw new PathException(
          "file \""
              + relative
              + "\" does not exist in the checkout (symbolic links that point outside the"
              + " repository are left out)");
    }
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw new PathException("path \"" + relative + "\" links outside the repository");
      }
      // A symbolic link changes nothing in Git when the file it names does: watch that file too.
      synchronized (read) {
        read.add(realRoot.relativize(real).toString().replace('\\', '/'));
      }
    } catch (IOException e) {
      throw new PathException("file \"" + relative + "\" cannot be read");
    }
    if (!Files.isRegularFile(path)) {
      throw new PathException("\"" + relative + "\" is not a file");
    }
    return path;
  }

  /**
   * The bytes of a file; one larger than {@link #MAX_READ_BYTES} is refused unread, so a large file
   * named by mistake (an {@code env_file}, a config) never costs its size in memory.
   */
  public byte[] readBytes(String folder, String relative) throws PathException {
    try {
      Path path = resolve(folder, relative);
      long size = Files.size(path);
      if (size > MAX_READ_BYTES) {
        throw new PathException(
            "file \""
                + relative
                + "\" is "
                + size
                + " bytes, more than the "
                + MAX_READ_BYTES
                + " read from a stack");
      }
      return decrypted(path, Files.readAllBytes(path)).bytes();
    } catch (IOException e) {
      throw new PathException("file \"" + relative + "\" cannot be read");
    }
  }

  /** Like {@link #readBytes}, saying whether the content was decrypted. */
  public Content read(String folder, String relative) throws PathException {
    Path path = resolve(folder, relative);
    try {
      if (Files.size(path) > MAX_READ_BYTES) {
        return new Content(readBytes(folder, relative), false); // refused there, with its size
      }
      return decrypted(path, Files.readAllBytes(path));
    } catch (IOException e) {
      throw new PathException("file \"" + relative + "\" cannot be read");
    }
  }

  private Content decrypted(Path path, byte[] bytes) throws PathException {
    try {
      SopsDecryptor.Plain plain = sops.plain(display(path), bytes);
      secrets.addAll(plain.secrets());
      return new Content(plain.content(), plain.decrypted());
    } catch (SopsException e) {
      throw new PathException(e.getMessage());
    }
  }

  /** The decryptor of this revision's SOPS files. */
  public SopsDecryptor sops() {
    return sops;
  }

  /** The plain values of every SOPS file read so far (add those of files read elsewhere). */
  public Set<String> secrets() {
    return secrets;
  }

  public String readText(String folder, String relative) throws PathException {
    return new String(readBytes(folder, relative), StandardCharsets.UTF_8);
  }

  /** The path of {@code file} relative to the root, with forward slashes, for error messages. */
  public String display(Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  /** The repository paths resolved so far: the files a render depends on. */
  public Set<String> read() {
    synchronized (read) {
      return Set.copyOf(read);
    }
  }

  public Path root() {
    return root;
  }
}
