package io.tidemark.cluster.kubernetes;

import io.tidemark.cluster.kubernetes.helm.ChartFetchException;
import io.tidemark.cluster.kubernetes.helm.ChartReference;
import io.tidemark.cluster.kubernetes.helm.ChartRelease;
import io.tidemark.cluster.kubernetes.helm.ChartSource;
import io.tidemark.cluster.kubernetes.helm.HelmRenderException;
import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.desired.RenderError;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Replaces each {@code tidemark.io/v1 HelmRelease} document of a revision by the objects its chart
 * renders to: the chart's {@code crds/} first, then Helm's output with the release's namespace
 * where the chart leaves it open. Test hooks are skipped; the release document itself never reaches
 * the cluster. Rendered objects carry the release's file and line.
 */
final class HelmReleases {

  static final String API_VERSION = "tidemark.io/v1";
  static final String KIND = "HelmRelease";
  private static final Logger LOG = Logger.getLogger(HelmReleases.class);

  private final Path root;
  private final String defaultNamespace;
  private final HelmRenderer renderer;
  private final ChartSource charts;

  HelmReleases(Path root, String defaultNamespace, HelmRenderer renderer, ChartSource charts) {
    this.root = root;
    this.defaultNamespace = defaultNamespace;
    this.renderer = renderer;
    this.charts = charts;
  }

  static boolean isRelease(Map<String, Object> tree) {
    return API_VERSION.equals(tree.get("apiVersion")) && KIND.equals(tree.get("kind"));
  }

  /** The manifests with every release expanded; errors are added to {@code errors}. */
  List<Manifest> expand(List<Manifest> manifests, List<RenderError> errors) {
    Set<String> valuesFiles = valuesFiles(manifests);
    List<Manifest> out = new ArrayList<>();
    for (Manifest manifest : manifests) {
      if (valuesFiles.contains(manifest.source().file())) {
        continue; // a release's values file lying in the target folder is no manifest
      }
      if (!isRelease(manifest.tree())) {
        out.add(manifest);
        continue;
      }
      try {
        out.addAll(release(manifest, errors));
      } catch (InvalidRelease e) {
        errors.add(new RenderError(manifest.source(), e.getMessage()));
      }
    }
    return out;
  }

  /** Repository-relative paths of every values file the releases name. */
  private Set<String> valuesFiles(List<Manifest> manifests) {
    Set<String> paths = new HashSet<>();
    for (Manifest manifest : manifests) {
      if (isRelease(manifest.tree())
          && Trees.at(manifest.tree(), "spec", "valuesFiles") instanceof List<?> files) {
        Path base = root.resolve(manifest.source().file()).getParent();
        for (Object file : files) {
          if (file instanceof String path) {
            Path resolved = base.resolve(path).normalize();
            if (resolved.startsWith(root)) {
              paths.add(root.relativize(resolved).toString());
            }
          }
        }
      }
    }
    return paths;
  }

  private List<Manifest> release(Manifest manifest, List<RenderError> errors)
      throws InvalidRelease {
    Map<String, Object> tree = manifest.tree();
    SourceLocation at = manifest.source();
    if (!(Trees.at(tree, "metadata", "name") instanceof String name) || name.isBlank()) {
      throw new InvalidRelease("HelmRelease has no metadata.name");
    }
    Object ns = Trees.at(tree, "metadata", "namespace");
    String namespace = ns instanceof String s && !s.isBlank() ? s : defaultNamespace;
    String label = "HelmRelease " + name + ": ";
    Path base = root.resolve(at.file()).getParent();
    if (!(Trees.at(tree, "spec", "chart") instanceof String chartPath) || chartPath.isBlank()) {
      throw new InvalidRelease(label + "spec.chart missing or not a string");
    }
    Path chart;
    boolean remote = Trees.at(tree, "spec", "repository") != null;
    if (remote) {
      chart = remoteChart(tree, label);
    } else {
      chart = inside(base.resolve(chartPath), label + "chart " + chartPath);
      if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
        throw new InvalidRelease(label + "chart not found: " + chartPath + " (no Chart.yaml)");
      }
    }
    Object values = Trees.at(tree, "spec", "values");
    if (values != null && !(values instanceof Map<?, ?>)) {
      throw new InvalidRelease(label + "spec.values is not a mapping");
    }
    List<Path> valuesFiles = new ArrayList<>();
    Object files = Trees.at(tree, "spec", "valuesFiles");
    if (files != null && !(files instanceof List<?>)) {
      throw new InvalidRelease(label + "spec.valuesFiles is not a list");
    }
    for (Object file : files == null ? List.of() : (List<?>) files) {
      if (!(file instanceof String path)) {
        throw new InvalidRelease(label + "spec.valuesFiles holds a non-string");
      }
      Path resolved = inside(base.resolve(path), label + "values file " + path);
      if (!Files.isRegularFile(resolved)) {
        throw new InvalidRelease(label + "values file not found: " + path);
      }
      valuesFiles.add(resolved);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> inline =
        values == null ? Map.of() : Trees.mutableCopy((Map<String, Object>) values);
    String rendered;
    try {
      rendered = renderer.render(new ChartRelease(name, namespace, chart, inline, valuesFiles));
    } catch (HelmRenderException e) {
      throw new InvalidRelease(label + e.getMessage());
    }
    List<Manifest> out = new ArrayList<>(crds(chart, remote ? at : null, errors));
    ManifestReader.Result result = ManifestReader.read(new StringReader(rendered), at.file());
    for (RenderError error : result.errors()) {
      errors.add(new RenderError(at, label + "rendered output: " + error.message()));
    }
    for (Manifest object : result.manifests()) {
      Map<String, Object> copy = Trees.mutableCopy(object.tree());
      Object hook = Trees.at(copy, "metadata", "annotations", "helm.sh/hook");
      if (hook instanceof String h && h.toLowerCase(Locale.ROOT).contains("test")) {
        LOG.infof(
            "HelmRelease %s: test hook %s/%s skipped", name, copy.get("kind"), objectName(copy));
        continue;
      }
      if (copy.get("metadata") instanceof Map<?, ?> meta
          && meta.get("namespace") == null
          && copy.get("apiVersion") instanceof String apiVersion
          && copy.get("kind") instanceof String kind
          && !Kinds.builtInClusterScoped(Kinds.qualified(apiVersion, kind))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) meta;
        metadata.put("namespace", namespace);
      }
      out.add(new Manifest(copy, at));
    }
    return out;
  }

  private static Object objectName(Map<String, Object> tree) {
    return Trees.at(tree, "metadata", "name");
  }

  /**
   * A chart from an HTTP repository or OCI registry, at the exact version the release pins, from
   * the chart cache or fetched into it.
   */
  private Path remoteChart(Map<String, Object> tree, String label) throws InvalidRelease {
    try {
      return charts.chart(
          ChartReference.of(
              Trees.at(tree, "spec", "repository"),
              Trees.at(tree, "spec", "chart"),
              Trees.at(tree, "spec", "version")));
    } catch (ChartFetchException e) {
      throw new InvalidRelease(label + e.getMessage());
    }
  }

  /**
   * The chart's {@code crds/} files, read as they are (Helm never templates them); a remote chart's
   * are reported at its release ({@code release}), a chart in the repository's at their own file.
   */
  private List<Manifest> crds(Path chart, SourceLocation release, List<RenderError> errors) {
    Path dir = chart.resolve("crds");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Manifest> out = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.sorted().toList()) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
          continue;
        }
        String name = release != null ? release.file() : root.relativize(file).toString();
        ManifestReader.Result result =
            ManifestReader.read(new StringReader(Files.readString(file)), name);
        for (Manifest manifest : result.manifests()) {
          out.add(release != null ? new Manifest(manifest.tree(), release) : manifest);
        }
        errors.addAll(result.errors());
      }
    } catch (IOException e) {
      String where = release != null ? release.file() : root.relativize(dir).toString();
      errors.add(RenderError.at(where, 0, "not readable: " + e));
    }
    return out;
  }

  private Path inside(Path path, String what) throws InvalidRelease {
    Path normal = path.normalize();
    try {
      if (Files.exists(normal) && !normal.toRealPath().startsWith(root)) {
        throw new InvalidRelease(what + " links outside the repository");
      }
    } catch (IOException e) {
      throw new InvalidRelease(what + " not readable");
    }
    if (!normal.startsWith(root)) {
      throw new InvalidRelease(what + " is outside the repository");
    }
    return normal;
  }

  /** A release that cannot be rendered; its message is reported at the release's file:line. */
  private static final class InvalidRelease extends Exception {
    InvalidRelease(String message) {
      super(message);
    }
  }
}
