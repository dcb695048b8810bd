package io.tidemark.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A folder of compose files that form one Swarm stack, read the way {@code docker stack deploy -c
 * a.yml -c b.yml} reads them: every top-level {@code .yml}/{@code .yaml} file in name order, plus
 * the {@code .env} file next to them.
 */
final class ComposeFolder {

  /** One parsed compose file. */
  record ComposeFile(Path path, Map<String, Object> content) {}

  /** One service and the file that defines it. */
  record Service(String name, Path file, Map<String, Object> spec) {}

  /** The outcome of running the docker CLI. */
  record CliResult(int exitCode, String stdout, String stderr) {}

  /** A {@code ${NAME}} or {@code ${NAME<modifier>}} use, not the {@code $${...}} escape. */
  static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}");

  private final Path dir;
  private final List<ComposeFile> files;

  private ComposeFolder(Path dir, List<ComposeFile> files) {
    this.dir = dir;
    this.files = files;
  }

  static ComposeFolder read(Path dir) {
    List<ComposeFile> files = new ArrayList<>();
    for (Path file : stackFiles(dir)) {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      try {
        Map<String, Object> content = yaml.load(Files.readString(file));
        files.add(new ComposeFile(file, content));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ComposeFolder(dir, List.copyOf(files));
  }

  private static List<Path> stackFiles(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  List<ComposeFile> files() {
    return files;
  }

  /** Every service of every file, by name; a later file's service of the same name wins. */
  Map<String, Service> services() {
    Map<String, Service> services = new LinkedHashMap<>();
    for (ComposeFile file : files) {
      Map<String, Object> defined = Maps.map(file.content(), "services");
      defined.forEach(
          (name, spec) -> services.put(name, new Service(name, file.path(), cast(spec))));
    }
    return services;
  }

  /** The union of one top-level section (networks, volumes, secrets, configs) over all files. */
  Map<String, Map<String, Object>> definitions(String section) {
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    for (ComposeFile file : files) {
      Maps.map(file.content(), section).forEach((name, spec) -> all.put(name, cast(spec)));
    }
    return all;
  }

  /** The variables of the folder's {@code .env} file (none when it has no such file). */
  Map<String, String> envFile() {
    Path env = dir.resolve(".env");
    Map<String, String> vars = new LinkedHashMap<>();
    if (!Files.isRegularFile(env)) {
      return vars;
    }
    try {
      for (String line : Files.readAllLines(env)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        vars.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return vars;
  }

  /**
   * Resolves {@code ${VAR:-default}} in {@code text} the way the stack is deployed: the variable's
   * value from the {@code .env} file, else its default.
   */
  String interpolate(String text) {
    Map<String, String> env = envFile();
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = env.get(matcher.group(1));
      if (value == null) {
        value = matcher.group(2).startsWith(":-") ? matcher.group(2).substring(2) : "";
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return matcher.appendTail(out).toString();
  }

  /**
   * Runs {@code docker stack config -c f1 -c f2 ...} in the folder with the {@code .env} variables
   * exported; the command merges and interpolates the files and needs no Docker Engine.
   */
  CliResult dockerStackConfig() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker", "stack", "config"));
    for (ComposeFile file : files) {
      command.add("-c");
      command.add(file.path().getFileName().toString());
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(envFile());
    Path out = Files.createTempFile("stack-config", ".out");
    Path err = Files.createTempFile("stack-config", ".err");
    try {
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("docker stack config did not finish in 2 minutes");
      }
      return new CliResult(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }
}
