package io.tidemark.reconcile;

import java.util.Objects;
import java.util.Set;

/**
 * The repository paths a target depends on: its folder and the files its last render read outside
 * it. Pure: tells whether a set of changed paths concerns the target.
 */
record WatchedPaths(String folder, Set<String> inputs) {

  WatchedPaths {
    folder = normalize(Objects.requireNonNull(folder, "folder"));
    inputs =
        inputs.stream().map(WatchedPaths::normalize).collect(java.util.stream.Collectors.toSet());
  }

  /** Whether any of {@code changed} (repository paths with forward slashes) is watched. */
  boolean touchedBy(Set<String> changed) {
    for (String path : changed) {
      if (under(path, folder) || inputs.stream().anyMatch(input -> under(path, input))) {
        return true;
      }
    }
    return false;
  }

  private static boolean under(String path, String root) {
    return root.isEmpty() || path.equals(root) || path.startsWith(root + "/");
  }

  /** {@code ./a/b/}, {@code a//b} and {@code a/b} alike; {@code .} is the whole repository. */
  static String normalize(String path) {
    String p = path.replace('\\', '/').replaceAll("/+", "/");
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }
}
