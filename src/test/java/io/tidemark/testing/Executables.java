package io.tidemark.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the programs the suite runs (chromium, prometheus, promtool) on PATH. */
public final class Executables {

  private Executables() {}

  /**
   * The executable {@code name} on PATH. Without it the test fails (it never skips): CI installs
   * {@code debianPackage} through scripts/run-tests.sh.
   */
  public static Path require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        name
            + " is not installed: run the suite with scripts/run-tests.sh, which installs Debian's "
            + debianPackage
            + " package (apt-get install -y "
            + debianPackage
            + ")");
  }
}
