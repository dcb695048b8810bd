package io.tidemark.cluster.kubernetes.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Helm needs to template one release: its name and namespace, a chart folder on disk, the
 * inline values and the values files (applied in order, inline values last, as {@code helm -f ...
 * --set ...}).
 */
public record ChartRelease(
    String name, String namespace, Path chart, Map<String, Object> values, List<Path> valuesFiles) {

  public ChartRelease {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(chart, "chart");
    values = Map.copyOf(Objects.requireNonNull(values, "values"));
    valuesFiles = List.copyOf(Objects.requireNonNull(valuesFiles, "valuesFiles"));
  }
}
