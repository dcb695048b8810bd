package io.tidemark.desired.compose;

import io.tidemark.desired.RenderError;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.desired.sops.SopsException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses one YAML file into a {@link YamlDocument} with SnakeYAML's node graph, so that every value
 * keeps its line. Plain scalars are typed by the YAML 1.2 core schema (as the docker CLI's Go YAML
 * library does, so {@code yes} stays a string); merge keys and anchors are resolved; duplicate keys
 * are errors, as in the CLI. Alias bombs are stopped by a budget on the values a file expands to,
 * not by a low alias count, so that stacks with many {@code <<: *defaults} merges still load.
 */
public final class YamlReader {

  /**
   * Aliases to collections per file; many {@code <<: *defaults} merges are normal in a stack. What
   * the aliases expand to is bounded by {@link #MAX_VALUES}.
   */
  static final int MAX_ALIASES = 10_000;

  /** Values one file may expand to once aliases are followed: the alias-bomb guard. */
  static final int MAX_VALUES = 100_000;

  private static final int MAX_DEPTH = 100;
  private static final int MAX_CODE_POINTS = 8 * 1024 * 1024;

  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern DIGITS = Pattern.compile("[0-9a-fA-F]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Set<String> INFINITY = Set.of(".inf", ".Inf", ".INF");

  private YamlReader() {}

  /** Parses {@code text}; adds a file:line error and returns null when it is not valid YAML. */
  public static YamlDocument read(String file, String text, List<RenderError> errors) {
    return read(file, text, errors, SopsDecryptor.withoutKeys(), new java.util.HashSet<>());
  }

  /**
   * Parses {@code text}, decrypting it in memory when it is a SOPS file (lines kept); the values it
   * held encrypted are added to {@code secrets}.
   */
  public static YamlDocument read(
      String file,
      String text,
      List<RenderError> errors,
      SopsDecryptor sops,
      java.util.Set<String> secrets) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowDuplicateKeys(false);
    Yaml yaml = new Yaml(options);
    Node node;
    try (Reader reader = new StringReader(text)) {
      node = yaml.compose(reader);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      errors.add(RenderError.at(file, line, "invalid YAML: " + firstLine(e.getProblem())));
      return null;
    } catch (YAMLException | java.io.IOException e) {
      errors.add(RenderError.at(file, 0, "invalid YAML: " + firstLine(e.getMessage())));
      return null;
    }
    if (node == null) {
      return new YamlDocument(file, new LinkedHashMap<>(), Map.of());
    }
    try {
      secrets.addAll(sops.decryptYaml(file, List.of(node)));
    } catch (SopsException e) {
      errors.add(RenderError.at(e.file(), e.line(), e.reason()));
      return null;
    }
    Map<List<String>, Integer> lines = new HashMap<>();
    Walker walker = new Walker(file, lines, errors, new int[] {MAX_VALUES});
    Object root;
    try {
      root = walker.value(node, List.of(), 0);
    } catch (TooLarge e) {
      errors.add(
          RenderError.at(
              file,
              e.line,
              "invalid YAML: the file expands to more than "
                  + MAX_VALUES
                  + " values once its aliases are followed (an alias bomb?)"));
      return null;
    }
    if (!(root instanceof Map<?, ?>)) {
      errors.add(RenderError.at(file, line(node), "the top level must be a mapping"));
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) root;
    return new YamlDocument(file, map, lines);
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * Thrown when a file expands past {@link #MAX_VALUES}: walking further would only cost memory.
   */
  private static final class TooLarge extends RuntimeException {
    private final int line;

    TooLarge(int line) {
      super(null, null, false, false);
      this.line = line;
    }
  }

  /**
   * Converts nodes to plain values, recording lines; one instance per file. {@code budget} counts
   * down the values still allowed, aliases counted every time they are followed.
   */
  private record Walker(
      String file, Map<List<String>, Integer> lines, List<RenderError> errors, int[] budget) {

    Object value(Node node, List<String> path, int depth) {
      if (--budget[0] < 0) {
        throw new TooLarge(line(node));
      }
      lines.putIfAbsent(path, line(node));
      if (depth > MAX_DEPTH) {
        errors.add(RenderError.at(file, line(node), "nesting deeper than " + MAX_DEPTH));
        return null;
      }
      if (node instanceof ScalarNode scalar) {
        return scalar(scalar);
      }
      if (node instanceof SequenceNode sequence) {
        List<Object> list = new ArrayList<>();
        for (Node item : sequence.getValue()) {
          list.add(value(item, child(path, String.valueOf(list.size())), depth + 1));
        }
        return list;
      }
      Map<String, Object> map = new LinkedHashMap<>();
      mapping((MappingNode) node, path, depth, map, false);
      return map;
    }

    /** Fills {@code map}; keys merged in by {@code <<} never replace keys set explicitly. */
    private void mapping(
        MappingNode node, List<String> path, int depth, Map<String, Object> map, boolean merged) {
      List<NodeTuple> merges = new ArrayList<>();
      for (NodeTuple tuple : node.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (keyNode.getTag().equals(Tag.MERGE)
            || (keyNode instanceof ScalarNode s && "<<".equals(s.getValue()) && plain(s))) {
          merges.add(tuple);
          continue;
        }
        if (!(keyNode instanceof ScalarNode keyScalar)) {
          errors.add(RenderError.at(file, line(keyNode), "mapping keys must be scalars"));
          continue;
        }
        String key = keyScalar.getValue();
        if (merged && map.containsKey(key)) {
          continue;
        }
        if (map.containsKey(key)) {
          // The docker CLI refuses a file that sets a key twice; silently taking one would not do.
          errors.add(
              RenderError.at(
                  file,
                  line(keyNode),
                  "invalid YAML: found duplicate key "
                      + key
                      + " (first at line "
                      + lines.get(child(path, key))
                      + ")"));
          continue;
        }
        List<String> childPath = child(path, key);
        lines.putIfAbsent(childPath, line(keyNode));
        map.put(key, value(tuple.getValueNode(), childPath, depth + 1));
      }
      for (NodeTuple merge : merges) {
        Node source = merge.getValueNode();
        List<Node> sources = source instanceof SequenceNode seq ? seq.getValue() : List.of(source);
        for (Node one : sources) {
          if (one instanceof MappingNode m) {
            mapping(m, path, depth + 1, map, true);
          } else {
            errors.add(RenderError.at(file, line(one), "a merge key (<<) needs a mapping"));
          }
        }
      }
    }

    private static List<String> child(List<String> path, String key) {
      List<String> out = new ArrayList<>(path.size() + 1);
      out.addAll(path);
      out.add(key);
      return List.copyOf(out);
    }
  }

  private static boolean plain(ScalarNode node) {
    return node.getScalarStyle() == ScalarStyle.PLAIN;
  }

  private static Object scalar(ScalarNode node) {
    String text = node.getValue();
    Tag tag = node.getTag();
    // An explicit !!str or a quoted scalar is a string; plain ones follow the YAML 1.2 core schema.
    if (!plain(node) || tag.equals(Tag.STR)) {
      return text;
    }
    if (NULL.matcher(text).matches()) {
      return null;
    }
    if (BOOL.matcher(text).matches()) {
      return Boolean.parseBoolean(text.toLowerCase());
    }
    Object integer = goInteger(text);
    if (integer != null) {
      return integer;
    }
    if (FLOAT.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    String unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    if (INFINITY.contains(unsigned)) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return text;
  }

  /**
   * An integer as Go's YAML library reads one ({@code strconv.ParseInt(s, 0, 64)} after removing
   * underscores): decimal, {@code 0x} hex, {@code 0o} or leading-zero octal, {@code 0b} binary.
   */
  private static Object goInteger(String text) {
    String plain = text.replace("_", "");
    String sign = "";
    if (plain.startsWith("-") || plain.startsWith("+")) {
      sign = plain.startsWith("-") ? "-" : "";
      plain = plain.substring(1);
    }
    String lower = plain.toLowerCase();
    int radix = 10;
    String digits = plain;
    if (lower.startsWith("0x")) {
      radix = 16;
      digits = plain.substring(2);
    } else if (lower.startsWith("0o")) {
      radix = 8;
      digits = plain.substring(2);
    } else if (lower.startsWith("0b")) {
      radix = 2;
      digits = plain.substring(2);
    } else if (plain.length() > 1 && plain.startsWith("0")) {
      radix = 8;
      digits = plain.substring(1);
    }
    if (digits.isEmpty() || !DIGITS.matcher(digits).matches()) {
      return null;
    }
    try {
      return parseInt(sign + digits, radix);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Object parseInt(String digits, int radix) {
    java.math.BigInteger value = new java.math.BigInteger(digits, radix);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }
}
