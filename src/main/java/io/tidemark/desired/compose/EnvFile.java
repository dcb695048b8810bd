package io.tidemark.desired.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@code KEY=VALUE} files: a service's {@code env_file} as the docker CLI does (no quote
 * handling; a bare {@code KEY} takes its value from the variables, or is dropped), and a target's
 * {@code .env} for interpolation (where matching outer quotes are removed, as Compose does).
 */
public final class EnvFile {

  private EnvFile() {}

  /** One line that is not a valid entry; {@code line} is 1-based. */
  public record Problem(int line, String message) {}

  /** The {@code KEY=VALUE} entries of an env_file, in order. */
  public static List<String> entries(
      String text, Function<String, String> lookup, List<Problem> problems) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
      line = line.stripLeading();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String key = eq < 0 ? line : line.substring(0, eq);
      if (key.isEmpty()) {
        problems.add(new Problem(i + 1, "no variable name"));
      } else if (key.contains(" ") || key.contains("\t")) {
        problems.add(new Problem(i + 1, "variable '" + key + "' contains whitespaces"));
      } else if (eq >= 0) {
        out.add(line);
      } else if (lookup.apply(line) != null) {
        out.add(key + "=" + lookup.apply(line));
      }
    }
    return out;
  }

  /** The variables of a {@code .env} file. */
  public static Map<String, String> variables(String text, List<Problem> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    String withoutExport = text.replaceAll("(?m)^[ \\t]*export[ \\t]+", "");
    for (String entry : entries(withoutExport, k -> null, problems)) {
      int eq = entry.indexOf('=');
      out.put(entry.substring(0, eq), unquote(entry.substring(eq + 1)));
    }
    return out;
  }

  private static String unquote(String value) {
    String v = value.strip();
    if (v.length() >= 2
        && (v.charAt(0) == '"' || v.charAt(0) == '\'')
        && v.charAt(v.length() - 1) == v.charAt(0)) {
      return v.substring(1, v.length() - 1);
    }
    return value;
  }
}
