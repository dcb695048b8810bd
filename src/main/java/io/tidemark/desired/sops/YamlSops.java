package io.tidemark.desired.sops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * SOPS' YAML store on SnakeYAML's node graph: the {@code sops} block of the first document is the
 * metadata, every document's values are decrypted in place (so lines stay those of the file), and
 * the block is removed from every document. Plain scalars are typed by the YAML 1.2 core schema, as
 * SOPS' Go YAML library types them, for the MAC.
 */
final class YamlSops {

  static final String METADATA_KEY = "sops";

  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private YamlSops() {}

  /** The {@code sops} block of the first document, or null when the documents hold none. */
  static MappingNode metadataNode(List<Node> documents) {
    if (documents.isEmpty() || !(documents.get(0) instanceof MappingNode root)) {
      return null;
    }
    for (NodeTuple tuple : root.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key
          && METADATA_KEY.equals(key.getValue())
          && tuple.getValueNode() instanceof MappingNode block
          && hasKey(block, "mac")) {
        return block;
      }
    }
    return null;
  }

  private static boolean hasKey(MappingNode node, String key) {
    return node.getValue().stream()
        .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && key.equals(k.getValue()));
  }

  /** Decrypts in place; returns the plain values that were encrypted. */
  static Set<String> decrypt(String file, List<Node> documents, AgeKeys keys) throws SopsException {
    MappingNode block = metadataNode(documents);
    int line = block.getStartMark() == null ? 0 : block.getStartMark().getLine();
    SopsMetadata md = SopsMetadata.parse(plain(block), file, line);
    for (Node document : documents) {
      if (document instanceof MappingNode root) {
        root.getValue()
            .removeIf(
                t -> t.getKeyNode() instanceof ScalarNode k && METADATA_KEY.equals(k.getValue()));
      }
    }
    List<TreeDecryption.Leaf> leaves = new ArrayList<>();
    List<Consumer<Node>> setters = new ArrayList<>();
    List<ScalarNode> originals = new ArrayList<>();
    for (Node document : documents) {
      walk(document, new ArrayList<>(), new Found(leaves, setters, originals), n -> {});
    }
    TreeDecryption.Result result = TreeDecryption.decrypt(file, line, md, keys, leaves);
    for (int i = 0; i < leaves.size(); i++) {
      TreeDecryption.Leaf leaf = leaves.get(i);
      if (md.rules().encrypted(leaf.path())) {
        setters.get(i).accept(node(result.values().get(i), originals.get(i)));
      }
    }
    return result.secrets();
  }

  /** The leaves found so far, each with the setter that replaces it and its original node. */
  private record Found(
      List<TreeDecryption.Leaf> leaves, List<Consumer<Node>> setters, List<ScalarNode> originals) {}

  private static void walk(Node node, List<String> path, Found found, Consumer<Node> setter) {
    if (node instanceof MappingNode mapping) {
      List<NodeTuple> tuples = mapping.getValue();
      for (int i = 0; i < tuples.size(); i++) {
        NodeTuple tuple = tuples.get(i);
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          continue;
        }
        List<String> child = new ArrayList<>(path);
        child.add(key.getValue());
        int index = i;
        walk(tuple.getValueNode(), child, found, n -> tuples.set(index, new NodeTuple(key, n)));
      }
    } else if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        int index = i;
        walk(items.get(i), path, found, n -> items.set(index, n));
      }
    } else if (node instanceof ScalarNode scalar && !path.isEmpty()) {
      Object value = typed(scalar);
      if (value != null) {
        int line = scalar.getStartMark() == null ? 0 : scalar.getStartMark().getLine() + 1;
        found.leaves().add(new TreeDecryption.Leaf(path, value, line));
        found.setters().add(setter);
        found.originals().add(scalar);
      }
    }
  }

  /** The scalar as SOPS sees it: null (skipped), bool, int, float or string. */
  static Object typed(ScalarNode scalar) {
    String text = scalar.getValue();
    if (scalar.getScalarStyle() != ScalarStyle.PLAIN) {
      return text;
    }
    if (NULL.matcher(text).matches()) {
      return null;
    }
    if (BOOL.matcher(text).matches()) {
      return Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
    }
    try {
      if (INT.matcher(text).matches()) {
        return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
      }
      if (HEX.matcher(text).matches()) {
        return Long.parseLong(text.substring(2), 16);
      }
      if (FLOAT.matcher(text).matches()) {
        return Double.parseDouble(text);
      }
    } catch (NumberFormatException e) {
      return text;
    }
    return text;
  }

  private static Node node(Object value, ScalarNode original) {
    String text = MacBytes.text(value);
    Tag tag = Tag.STR;
    ScalarStyle style = ScalarStyle.DOUBLE_QUOTED;
    if (value instanceof Long) {
      tag = Tag.INT;
      style = ScalarStyle.PLAIN;
    } else if (value instanceof Double) {
      tag = Tag.FLOAT;
      style = ScalarStyle.PLAIN;
    } else if (value instanceof Boolean b) {
      tag = Tag.BOOL;
      style = ScalarStyle.PLAIN;
      text = b ? "true" : "false";
    }
    return new ScalarNode(tag, text, original.getStartMark(), original.getEndMark(), style);
  }

  /** The metadata block as plain maps, lists and strings. */
  static Object plain(Node node) {
    if (node instanceof MappingNode mapping) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          out.put(key.getValue(), plain(tuple.getValueNode()));
        }
      }
      return out;
    }
    if (node instanceof SequenceNode sequence) {
      List<Object> out = new ArrayList<>();
      sequence.getValue().forEach(n -> out.add(plain(n)));
      return out;
    }
    if (node instanceof ScalarNode scalar) {
      return scalar.getScalarStyle() == ScalarStyle.PLAIN
              && NULL.matcher(scalar.getValue()).matches()
          ? null
          : scalar.getValue();
    }
    return null;
  }
}
