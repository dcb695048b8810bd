package io.tidemark.desired.compose;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed YAML file as a plain tree (maps, lists, strings, numbers, booleans, nulls), with the
 * 1-based line of every node by its path of keys and list indexes.
 */
public record YamlDocument(
    String file, Map<String, Object> root, Map<List<String>, Integer> lines) {

  public YamlDocument {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(root, "root");
    lines = Map.copyOf(lines);
  }

  /** The line of the deepest node on {@code path} that this file declares, or 0. */
  public int lineOf(List<String> path) {
    for (int end = path.size(); end >= 0; end--) {
      Integer line = lines.get(path.subList(0, end));
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  /** Whether this file declares exactly {@code path}. */
  public boolean declares(List<String> path) {
    return lines.containsKey(path);
  }
}
