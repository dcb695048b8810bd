package io.tidemark.cluster.kubernetes.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a chart's hooks visible in Helm's rendered manifest: Helm moves every document annotated
 * {@code helm.sh/hook} out of the manifest it returns, and helm-java returns only that manifest. A
 * copy of the chart (templates only, never values) with the annotation renamed is rendered instead,
 * and the name is put back in the output, so Tidemark can order the hooks itself.
 */
final class HookCopy {

  static final String HOOK = "helm.sh/hook";
  static final String HIDDEN = "tidemark.io/rendered-helm-hook";

  private HookCopy() {}

  /** Whether any template of the chart (or of its unpacked subcharts) names a hook. */
  static boolean hasHooks(Path chart) throws IOException {
    try (Stream<Path> walk = Files.walk(chart)) {
      for (Path file : walk.filter(HookCopy::template).toList()) {
        if (Files.readString(file, StandardCharsets.UTF_8).contains(HOOK)) {
          return true;
        }
      }
    }
    return false;
  }

  /** A temporary copy of the chart whose templates carry {@link #HIDDEN} instead of the hook. */
  static Path of(Path chart) throws IOException {
    Path copy = Files.createTempDirectory("tidemark-chart-");
    try (Stream<Path> walk = Files.walk(chart)) {
      for (Path file : walk.toList()) {
        Path target = copy.resolve(chart.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (template(file)) {
          String text = Files.readString(file, StandardCharsets.UTF_8);
          Files.writeString(target, text.replace(HOOK, HIDDEN));
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  /** The rendered manifest with the hook annotations named as the chart wrote them. */
  static String restore(String rendered) {
    return rendered.replace(HIDDEN, HOOK);
  }

  static void delete(Path copy) {
    if (copy == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(copy)) {
      List<Path> files = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a copy of public chart templates left in the temp folder is harmless
    }
  }

  private static boolean template(Path file) {
    return Files.isRegularFile(file)
        && file.getParent() != null
        && file.toString().contains("/templates/");
  }
}
