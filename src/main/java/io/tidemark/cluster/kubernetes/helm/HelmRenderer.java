package io.tidemark.cluster.kubernetes.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Templates Helm charts in process with Helm's own Go library (helm-java), as {@code helm template}
 * does: no release secret is written and nothing is sent to a cluster. Renders are cached by the
 * digest of the chart's files, the values, the release's name and namespace and the cluster's
 * capabilities, so a no-op reconcile does not template again.
 */
public final class HelmRenderer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CACHED = 256;

  private final Map<String, String> cache = new ConcurrentHashMap<>();
  private final AtomicInteger renders = new AtomicInteger();

  /** The rendered manifests of {@code release} (a YAML stream, hooks included, CRDs not). */
  public String render(ChartRelease release) throws HelmRenderException {
    String key = digest(release);
    String cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    String rendered = template(release);
    if (cache.size() >= MAX_CACHED) {
      cache.clear(); // bounded: old revisions' renders are not needed again
    }
    cache.put(key, rendered);
    return rendered;
  }

  /** How many times Helm was actually called (cache misses). */
  public int renders() {
    return renders.get();
  }

  private String template(ChartRelease release) throws HelmRenderException {
    renders.incrementAndGet();
    // Every values document goes to Helm as an in-memory file: decrypted SOPS values (and inline
    // values) never touch the disk, and Helm still merges them as it merges -f files.
    List<MemoryFile> open = new ArrayList<>();
    Map<String, String> names = new LinkedHashMap<>();
    Path chart = release.chart();
    Path hooksVisible = null;
    try {
      if (HookCopy.hasHooks(chart)) {
        hooksVisible = HookCopy.of(chart);
        names.put(hooksVisible + "/", ""); // template names in messages stay chart-relative
        chart = hooksVisible;
      }
      TemplateCommand command =
          new Helm(chart).template().withName(release.name()).withNamespace(release.namespace());
      if (!release.capabilities().kubeVersion().isEmpty()) {
        command = command.withKubeVersion(release.capabilities().kubeVersion());
      }
      for (ValuesFile file : release.valuesFiles()) {
        MemoryFile memory = MemoryFile.of(file.content());
        open.add(memory);
        names.put(memory.path().toString(), file.name());
        command = command.withValuesFile(memory.path());
      }
      if (!release.values().isEmpty()) {
        MemoryFile memory = MemoryFile.of(JSON.writeValueAsBytes(release.values())); // JSON is YAML
        open.add(memory);
        names.put(memory.path().toString(), "spec.values");
        command = command.withValuesFile(memory.path());
      }
      String rendered = command.call();
      return hooksVisible == null ? rendered : HookCopy.restore(rendered);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      message = message.replace(release.chart().toString() + "/", "");
      for (Map.Entry<String, String> name : names.entrySet()) {
        message = message.replace(name.getKey(), name.getValue());
      }
      throw new HelmRenderException(message);
    } finally {
      open.forEach(MemoryFile::close);
      HookCopy.delete(hooksVisible);
    }
  }

  /** SHA-256 over the chart's files, the values files, inline values and the capabilities. */
  static String digest(ChartRelease release) throws HelmRenderException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      update(sha, release.name());
      update(sha, release.namespace());
      Path chart = release.chart();
      if (!Files.isDirectory(chart)) {
        throw new HelmRenderException("chart folder not found: " + chart.getFileName());
      }
      List<Path> files;
      try (Stream<Path> walk = Files.walk(chart)) {
        files = walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
      }
      for (Path file : files) {
        update(sha, chart.relativize(file).toString());
        sha.update(Files.readAllBytes(file));
      }
      for (ValuesFile file : release.valuesFiles()) {
        update(sha, "values:" + file.name());
        sha.update(file.content());
      }
      update(sha, JSON.writeValueAsString(new TreeMap<>(release.values())));
      update(sha, "kubeVersion:" + release.capabilities().kubeVersion());
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new HelmRenderException("chart or values not readable: " + e.getMessage());
    }
  }

  private static void update(MessageDigest sha, String text) {
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }
}
