package io.tidemark.cluster.kubernetes;

import io.tidemark.desired.RenderError;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.desired.sops.SopsException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds and parses the manifests of one folder of a checkout: every {@code .yaml}, {@code .yml} and
 * {@code .json} file below it in name order, a folder with a kustomization rendered as a whole,
 * nothing read from outside the repository; a folder holding {@code Chart.yaml} is a Helm chart and
 * is skipped.
 */
final class ManifestFiles {

  static final long MAX_FILE_BYTES = ManifestReader.MAX_CODE_POINTS;
  private static final List<String> KUSTOMIZATIONS =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private final Path root;
  private final Kustomize kustomize;
  private final List<Manifest> manifests = new ArrayList<>();
  private final List<RenderError> errors = new ArrayList<>();
  private final Set<Path> visited = new HashSet<>();
  private final Set<String> inputs = new HashSet<>();
  private final Map<String, Set<String>> secrets = new HashMap<>();
  private final SopsDecryptor sops;

  private ManifestFiles(Path root, Kustomize kustomize, SopsDecryptor sops) {
    this.root = root;
    this.kustomize = kustomize;
    this.sops = sops;
  }

  /** The manifests and errors of {@code folder} (relative to {@code repoRoot}). */
  static ManifestReader.Result read(Path repoRoot, String folder, Kustomize kustomize) {
    return read(repoRoot, folder, kustomize, SopsDecryptor.withoutKeys());
  }

  /** The same, SOPS files decrypted in memory with {@code sops}. */
  static ManifestReader.Result read(
      Path repoRoot, String folder, Kustomize kustomize, SopsDecryptor sops) {
    Path root;
    try {
      root = repoRoot.toRealPath();
    } catch (IOException e) {
      return failed(folder, "repository checkout not readable: " + e.getMessage());
    }
    Path dir = root.resolve(folder).normalize();
    if (!dir.startsWith(root)) {
      return failed(folder, "target folder is outside the repository");
    }
    if (!Files.isDirectory(dir)) {
      return failed(folder, "target folder does not exist in this revision");
    }
    ManifestFiles files = new ManifestFiles(root, kustomize, sops);
    files.folder(dir);
    return new ManifestReader.Result(files.manifests, files.errors, files.inputs, files.secrets);
  }

  private static ManifestReader.Result failed(String folder, String message) {
    return new ManifestReader.Result(List.of(), List.of(RenderError.at(folder, 0, message)));
  }

  private void folder(Path dir) {
    Path real = inside(dir);
    if (real == null || !visited.add(real)) {
      return; // outside (already reported) or a link cycle back into a folder read before
    }
    // A linked folder changes in Git where it really is: depend on that path.
    inputs.add(root.relativize(real).toString().replace('\\', '/'));
    if (Files.isRegularFile(dir.resolve("Chart.yaml"))) {
      return; // a Helm chart: rendered through the HelmRelease that names it, never read as is
    }
    for (String name : KUSTOMIZATIONS) {
      if (Files.isRegularFile(dir.resolve(name))) {
        kustomization(dir, dir.resolve(name));
        return;
      }
    }
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      errors.add(RenderError.at(relative(dir), 0, "folder not readable: " + e.getMessage()));
      return;
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      if (name.startsWith(".")) {
        continue; // .git, .github and editor files are no manifests
      }
      if (Files.isDirectory(child)) {
        folder(child);
      } else if (manifestFile(name)) {
        file(child);
      }
    }
  }

  private void file(Path file) {
    if (inside(file) == null) {
      return;
    }
    String name = relative(file);
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        errors.add(RenderError.at(name, 0, "file larger than " + MAX_FILE_BYTES + " bytes"));
        return;
      }
      // Decoded whole and strictly (the size is bounded above): a decoding error inside the YAML
      // parser would surface as an obscure parser message without a line.
      byte[] bytes = Files.readAllBytes(file);
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(buffer).toString();
      } catch (CharacterCodingException e) {
        errors.add(RenderError.at(name, lineAt(bytes, buffer.position()), "not UTF-8 text"));
        return;
      }
      boolean json = name.toLowerCase(Locale.ROOT).endsWith(".json");
      if (json) {
        SopsDecryptor.Plain plain;
        try {
          plain = sops.plain(name, bytes);
        } catch (SopsException e) {
          errors.add(RenderError.at(e.file(), e.line(), e.reason()));
          return;
        }
        text = new String(plain.content(), StandardCharsets.UTF_8);
        if (!plain.secrets().isEmpty()) {
          secrets.put(name, plain.secrets());
        }
      }
      try (Reader reader = new StringReader(text)) {
        add(json ? JsonManifestReader.read(reader, name) : ManifestReader.read(reader, name, sops));
      }
    } catch (IOException e) {
      errors.add(RenderError.at(name, 0, "not readable: " + e.getMessage()));
    }
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  private void kustomization(Path dir, Path file) {
    // A kustomization may name any folder of the repository (../base): depend on all of it.
    inputs.add("");
    String name = relative(file);
    try {
      add(ManifestReader.read(new StringReader(kustomize.render(dir)), name));
    } catch (Kustomize.KustomizeException e) {
      errors.add(RenderError.at(name, 0, e.getMessage().replace(root + "/", "")));
    }
  }

  private void add(ManifestReader.Result result) {
    manifests.addAll(result.manifests());
    errors.addAll(result.errors());
    secrets.putAll(result.secrets());
    inputs.addAll(result.inputs());
  }

  /** The real path when it stays inside the repository; otherwise reports it and returns null. */
  private Path inside(Path path) {
    try {
      Path real = path.toRealPath();
      if (real.startsWith(root)) {
        return real;
      }
    } catch (IOException e) {
      errors.add(RenderError.at(relative(path), 0, "not readable: " + e.getMessage()));
      return null;
    }
    errors.add(RenderError.at(relative(path), 0, "links outside the repository"));
    return null;
  }

  private String relative(Path path) {
    String rel = root.relativize(path).toString().replace('\\', '/');
    return rel.isEmpty() ? "." : rel;
  }

  private static boolean manifestFile(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
  }
}
