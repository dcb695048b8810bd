package io.tidemark.cluster.kubernetes;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Renders kustomizations with {@code kubectl kustomize DIR}, when kubectl is installed. */
public final class KubectlKustomize implements Kustomize {

  private static final long MAX_OUTPUT_BYTES = 64L * 1024 * 1024;
  private static final int MAX_ERROR_CHARS = 500;

  private final Optional<Path> kubectl;
  private final Duration timeout;

  public KubectlKustomize(Optional<Path> kubectl, Duration timeout) {
    this.kubectl = Objects.requireNonNull(kubectl, "kubectl");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** kubectl as found on {@code PATH}, if any. */
  public static KubectlKustomize fromPath(Duration timeout) {
    return new KubectlKustomize(findOnPath("kubectl", System.getenv("PATH")), timeout);
  }

  static Optional<Path> findOnPath(String program, String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public String render(Path folder) throws KustomizeException {
    if (kubectl.isEmpty()) {
      throw new KustomizeException(
          folder + " holds a kustomization, but kubectl is not on PATH to render it");
    }
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("tidemark-kustomize", ".yaml");
      err = Files.createTempFile("tidemark-kustomize", ".err");
      Process process =
          new ProcessBuilder(kubectl.get().toString(), "kustomize", folder.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new KustomizeException("kubectl kustomize " + folder + " timed out after " + timeout);
      }
      if (process.exitValue() != 0) {
        String reason = Files.readString(err, StandardCharsets.UTF_8).strip();
        throw new KustomizeException("kubectl kustomize " + folder + " failed: " + shorten(reason));
      }
      if (Files.size(out) > MAX_OUTPUT_BYTES) {
        throw new KustomizeException("kubectl kustomize " + folder + " rendered more than 64 MiB");
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KustomizeException(
          "kubectl kustomize " + folder + " could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KustomizeException("kubectl kustomize " + folder + " was interrupted");
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temporary file is harmless; the render result stands.
      }
    }
  }
}
