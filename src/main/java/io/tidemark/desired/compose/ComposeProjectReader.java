package io.tidemark.desired.compose;

import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.desired.sops.SopsDecryptor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the compose files of a target folder into one {@link ComposeProject}: every {@code
 * *.yml}/{@code *.yaml} with a {@code services:} key (the base names {@code compose}, {@code
 * docker-compose} and {@code docker-stack} first, then the others by name), interpolated from the
 * folder's {@code .env} and the configured variables, validated, normalised and merged in order.
 * Every error of every file is collected before one {@link InvalidRevisionException} is thrown.
 */
public final class ComposeProjectReader {

  private static final List<String> BASE_NAMES =
      List.of("compose", "docker-compose", "docker-stack");
  private static final List<String> SECTIONS =
      List.of("services", "networks", "volumes", "secrets", "configs");

  /** The largest compose file read, as many bytes as the YAML reader's code point limit. */
  static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  private final Map<String, String> configuredVariables;
  private final SopsDecryptor sops;

  public ComposeProjectReader(Map<String, String> configuredVariables) {
    this(configuredVariables, SopsDecryptor.withoutKeys());
  }

  /** A reader that opens the SOPS files of the folder with {@code sops}. */
  public ComposeProjectReader(Map<String, String> configuredVariables, SopsDecryptor sops) {
    this.configuredVariables = Map.copyOf(configuredVariables);
    this.sops = sops;
  }

  /** Reads the folder; throws with every error found when anything is invalid. */
  public ComposeProject read(Path repoRoot, String folder) throws InvalidRevisionException {
    List<RenderError> errors = new ArrayList<>();
    ComposeProject project = read(repoRoot, folder, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRevisionException(errors);
    }
    return project;
  }

  /**
   * Reads what can be read, adding every error to {@code errors}, so that a caller can go on to
   * find the errors of later stages too; throws only when the folder itself cannot be read.
   */
  public ComposeProject read(Path repoRoot, String folder, List<RenderError> errors)
      throws InvalidRevisionException {
    String cleanFolder = folder == null || folder.isBlank() ? "." : folder;
    RepoFiles files;
    Path dir;
    try {
      files = new RepoFiles(repoRoot, sops);
      dir = files.root().resolve(cleanFolder).normalize();
      if (!dir.startsWith(files.root()) || !Files.isDirectory(dir)) {
        throw InvalidRevisionException.of(
            RenderError.at(cleanFolder, 0, "the target folder is not a folder of the repository"));
      }
    } catch (IOException e) {
      throw InvalidRevisionException.of(
          RenderError.at(cleanFolder, 0, "cannot read the repository"));
    }
    Map<String, String> variables = variables(files, cleanFolder, dir, errors);
    Interpolator interpolator = new Interpolator(variables);
    List<YamlDocument> documents = new ArrayList<>();
    for (Path file : composeFiles(dir, files, errors)) {
      YamlDocument document = readOne(files, file, errors);
      if (document == null || !document.root().containsKey("services")) {
        continue;
      }
      Findings findings = new Findings(document, errors);
      Map<String, Object> root = interpolate(document, interpolator, findings);
      ComposeSchema.validate(root, findings);
      new ComposeNormalizer(findings).normalize(root);
      documents.add(new YamlDocument(document.file(), root, document.lines()));
    }
    if (documents.isEmpty() && errors.isEmpty()) {
      errors.add(RenderError.at(cleanFolder, 0, "no compose file with a services: key"));
    }
    Map<String, Object> model = new LinkedHashMap<>();
    for (YamlDocument document : documents) {
      if (model.isEmpty()) {
        model.putAll(document.root());
        continue;
      }
      ComposeMerger.merge(
          model,
          document.root(),
          path ->
              errors.add(
                  RenderError.at(
                      document.file(),
                      document.lineOf(path),
                      String.join(".", path)
                          + ": cannot merge with the same field of an earlier file")));
    }
    ComposeProject project = new ComposeProject(model, documents, cleanFolder, variables, files);
    // An override file may leave the image to the base file; only the merged service needs one.
    project
        .section("services")
        .forEach(
            (name, service) -> {
              if (service instanceof Map<?, ?> map && map.get("image") == null) {
                List<String> path = List.of("services", name);
                errors.add(
                    new RenderError(
                        project.locate(path),
                        String.join(".", path) + ": a service needs an image"));
              }
            });
    return project;
  }

  private Map<String, String> variables(
      RepoFiles files, String folder, Path dir, List<RenderError> errors) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (Files.exists(dir.resolve(".env"))) {
      String envPath = files.display(dir.resolve(".env"));
      try {
        List<EnvFile.Problem> problems = new ArrayList<>();
        variables.putAll(EnvFile.variables(files.readText(folder, ".env"), problems));
        problems.forEach(p -> errors.add(RenderError.at(envPath, p.line(), p.message())));
      } catch (RepoFiles.PathException e) {
        errors.add(RenderError.at(envPath, 0, e.getMessage()));
      }
    }
    variables.putAll(configuredVariables);
    return variables;
  }

  private static List<Path> composeFiles(Path dir, RepoFiles files, List<RenderError> errors) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> isYaml(p.getFileName().toString()))
          .filter(p -> !Files.isDirectory(p))
          .sorted(Comparator.comparing(ComposeProjectReader::rank).thenComparing(Path::toString))
          .toList();
    } catch (IOException e) {
      errors.add(RenderError.at(files.display(dir), 0, "cannot list the target folder"));
      return List.of();
    }
  }

  private static boolean isYaml(String name) {
    return name.endsWith(".yml") || name.endsWith(".yaml");
  }

  private static int rank(Path file) {
    String name = file.getFileName().toString();
    String base = name.substring(0, name.lastIndexOf('.'));
    int index = BASE_NAMES.indexOf(base);
    return index < 0 ? BASE_NAMES.size() : index;
  }

  private static YamlDocument readOne(RepoFiles files, Path file, List<RenderError> errors) {
    String display = files.display(file);
    try {
      if (!file.toRealPath().startsWith(files.root().toRealPath())) {
        errors.add(RenderError.at(display, 0, "links outside the repository"));
        return null;
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        // Not even read: a file this large is no stack, and reading it would only cost memory.
        errors.add(
            RenderError.at(display, 0, "is larger than " + MAX_FILE_BYTES + " bytes; not read"));
        return null;
      }
      byte[] bytes = Files.readAllBytes(file);
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      try {
        String text = StandardCharsets.UTF_8.newDecoder().decode(buffer).toString();
        return YamlReader.read(display, text, errors, files.sops(), files.secrets());
      } catch (CharacterCodingException e) {
        // The decoder stops at the first bad byte: its line tells the author where to look.
        errors.add(RenderError.at(display, lineAt(bytes, buffer.position()), "is not UTF-8 text"));
      }
    } catch (IOException e) {
      errors.add(RenderError.at(display, 0, "cannot be read"));
    }
    return null;
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

  private static Map<String, Object> interpolate(
      YamlDocument document, Interpolator interpolator, Findings findings) {
    Map<String, Object> root = new LinkedHashMap<>(document.root());
    for (String section : SECTIONS) {
      if (root.containsKey(section)) {
        root.put(
            section,
            interpolator.interpolate(
                root.get(section), List.of(section), (path, why) -> findings.error(path, why)));
      }
    }
    return root;
  }
}
