package io.tidemark.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys the project's README documents (its "Configuration" table), so that the
 * deployment files can be held to exactly those names, as properties and as environment variables.
 */
final class ConfigKeys {

  private static final Pattern ROW = Pattern.compile("^\\| (`tidemark\\.[^|]+)\\|");
  private static final Pattern KEY = Pattern.compile("`([^`]+)`");

  private final List<Pattern> properties;

  private ConfigKeys(List<Pattern> properties) {
    this.properties = properties;
  }

  /**
   * The keys of the README's configuration table; placeholders such as {@code <name>} match any.
   */
  static ConfigKeys fromReadme() {
    List<String> lines;
    try {
      lines = Files.readAllLines(RepoPaths.root().resolve("README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Pattern> patterns = new ArrayList<>();
    for (String line : lines) {
      Matcher row = ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String full = null;
      Matcher key = KEY.matcher(row.group(1));
      while (key.find()) {
        String name = key.group(1);
        // "`a.b.c`, `.d`" documents a.b.c and a.b.d.
        full = name.startsWith(".") ? full.substring(0, full.lastIndexOf('.')) + name : name;
        patterns.add(Pattern.compile(Pattern.quote(full).replaceAll("<[^>]+>", "\\\\E[^.]+\\\\Q")));
      }
    }
    if (patterns.isEmpty()) {
      throw new IllegalStateException("README.md has no configuration table");
    }
    return new ConfigKeys(List.copyOf(patterns));
  }

  /** Whether {@code key} (a property name) is documented. */
  boolean knowsProperty(String key) {
    return properties.stream().anyMatch(p -> p.matcher(key).matches());
  }

  /**
   * Whether {@code name} is the environment variable of a documented key, the Quarkus way: upper
   * case, every character that is not a letter or digit replaced by an underscore.
   */
  boolean knowsEnvironmentVariable(String name) {
    return properties.stream()
        .map(p -> Pattern.compile(toEnv(p.pattern())))
        .anyMatch(p -> p.matcher(name).matches());
  }

  private static String toEnv(String pattern) {
    // Quoted literal parts become upper case with . and - as _; the placeholders ([^.]+) become
    // one or more name characters.
    StringBuilder out = new StringBuilder();
    Matcher quoted = Pattern.compile("\\\\Q(.*?)\\\\E|\\[\\^\\.\\]\\+").matcher(pattern);
    while (quoted.find()) {
      if (quoted.group(1) != null) {
        out.append(quoted.group(1).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
      } else {
        out.append("[A-Z0-9_]+");
      }
    }
    return out.toString();
  }
}
