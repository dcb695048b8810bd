package io.tidemark.e2e;

import io.tidemark.testing.Executables;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, run once per call as a child process: loads a page, lets its scripts
 * run, and returns the DOM and a screenshot. A machine without it fails the test: CI installs it.
 */
final class Chromium {

  private static final long TIMEOUT_SECONDS = 90;

  private final Path binary;
  private final Path workDir;

  private Chromium(Path binary, Path workDir) {
    this.binary = binary;
    this.workDir = workDir;
  }

  /** The {@code chromium} on PATH; an AssertionError that says how to get it when there is none. */
  static Chromium find(Path workDir) {
    return new Chromium(Executables.require("chromium", "chromium"), workDir);
  }

  /**
   * Loads the page in a window of {@code width} x {@code height}, lets its scripts run for up to
   * ten seconds of virtual time, writes a screenshot to {@code png} and answers the serialized DOM
   * (one browser start for both).
   */
  String render(URI page, Path png, int width, int height)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    Path out = Files.createTempFile(workDir, "dom", ".html");
    run(
        List.of(
            "--virtual-time-budget=10000",
            "--hide-scrollbars",
            "--window-size=" + width + "," + height,
            "--screenshot=" + png.toAbsolutePath(),
            "--dump-dom",
            page.toString()),
        out);
    return Files.readString(out);
  }

  private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--user-data-dir=" + Files.createTempDirectory(workDir, "profile")));
    command.addAll(args);
    Path stderr = Files.createTempFile(workDir, "chromium", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + args);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          "chromium exited with " + process.exitValue() + ": " + Files.readString(stderr));
    }
  }
}
