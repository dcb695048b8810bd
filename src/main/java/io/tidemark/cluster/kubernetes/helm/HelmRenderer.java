package io.tidemark.cluster.kubernetes.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Templates Helm charts in process with Helm's own Go library (helm-java), as {@code helm template}
 * does: no release secret is written and nothing is sent to a cluster. Renders are cached by the
 * digest of the chart's files, the values and the release's name and namespace, so a no-op
 * reconcile does not template again.
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
    Path inline = null;
    try {
      TemplateCommand command =
          new Helm(release.chart())
              .template()
              .withName(release.name())
              .withNamespace(release.namespace());
      for (Path file : release.valuesFiles()) {
        command = command.withValuesFile(file);
      }
      if (!release.values().isEmpty()) {
        // Inline values come from the release document in Git (never decrypted secrets), written
        // as JSON (which is YAML) to a private file that lives only for this call.
        inline =
            Files.createTempFile(
                "tidemark-helm-",
                ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(inline, JSON.writeValueAsString(release.values()));
        command = command.withValuesFile(inline);
      }
      return command.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new HelmRenderException(message.replace(release.chart().toString() + "/", ""));
    } finally {
      if (inline != null) {
        try {
          Files.deleteIfExists(inline);
        } catch (IOException ignored) {
          // a temp file of public values left behind is harmless
        }
      }
    }
  }

  /** SHA-256 over the chart's files (path and content), the values files and inline values. */
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
      for (Path file : release.valuesFiles()) {
        update(sha, "values:" + file);
        sha.update(Files.readAllBytes(file));
      }
      update(sha, JSON.writeValueAsString(new TreeMap<>(release.values())));
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
