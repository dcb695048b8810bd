package io.tidemark.desired.compose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads files of a revision by paths relative to a folder, refusing any path that leaves the
 * repository: absolute paths, {@code ..} that climbs out, and symbolic links that point outside.
 */
public final class RepoFiles {

  private final Path root;
  private final Path realRoot;

  public RepoFiles(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
  }

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
    if (!Files.exists(path)) {
      throw new PathException("file \"" + relative + "\" does not exist");
    }
    try {
      if (!path.toRealPath().startsWith(realRoot)) {
        throw new PathException("path \"" + relative + "\" links outside the repository");
      }
    } catch (IOException e) {
      throw new PathException("file \"" + relative + "\" cannot be read");
    }
    if (!Files.isRegularFile(path)) {
      throw new PathException("\"" + relative + "\" is not a file");
    }
    return path;
  }

  public byte[] readBytes(String folder, String relative) throws PathException {
    try {
      return Files.readAllBytes(resolve(folder, relative));
    } catch (IOException e) {
      throw new PathException("file \"" + relative + "\" cannot be read");
    }
  }

  public String readText(String folder, String relative) throws PathException {
    return new String(readBytes(folder, relative), StandardCharsets.UTF_8);
  }

  /** The path of {@code file} relative to the root, with forward slashes, for error messages. */
  public String display(Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  public Path root() {
    return root;
  }
}
