package io.tidemark.cluster.kubernetes.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Helm needs to template one release: its name and namespace, a chart folder on disk, the
 * inline values, the values files (applied in order, inline values last, as {@code helm -f ...
 * --set ...}) and the capabilities of the cluster it is rendered for.
 */
public record ChartRelease(
    String name,
    String namespace,
    Path chart,
    Map<String, Object> values,
    List<ValuesFile> valuesFiles,
    Capabilities capabilities) {

  public ChartRelease {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(chart, "chart");
    // Not Map.copyOf: a null value is meaningful, it removes the chart's default (as in Helm).
    values =
        Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    valuesFiles = List.copyOf(Objects.requireNonNull(valuesFiles, "valuesFiles"));
    Objects.requireNonNull(capabilities, "capabilities");
  }

  /** A release of plain values files read from disk, rendered with Helm's default capabilities. */
  public ChartRelease(
      String name, String namespace, Path chart, Map<String, Object> values, List<Path> files) {
    this(name, namespace, chart, values, read(files), Capabilities.helmDefaults());
  }

  private static List<ValuesFile> read(List<Path> files) {
    List<ValuesFile> read = new ArrayList<>();
    for (Path file : files) {
      try {
        read.add(new ValuesFile(file.getFileName().toString(), Files.readAllBytes(file)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return read;
  }

  /** Never the values: they may hold decrypted secrets. */
  @Override
  public String toString() {
    return "ChartRelease[" + name + " in " + namespace + " from " + chart.getFileName() + "]";
  }
}
