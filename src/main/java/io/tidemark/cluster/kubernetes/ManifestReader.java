package io.tidemark.cluster.kubernetes;

import io.tidemark.desired.RenderError;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.desired.sops.SopsException;
import io.tidemark.model.SourceLocation;
import java.io.Reader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Parses a multi-document YAML (or JSON) stream into manifests with their start lines, unpacking
 * {@code List} kinds item by item. SnakeYAML's limits reject alias bombs, deep nesting and huge
 * documents; duplicate map keys are errors, as kubectl makes them.
 */
final class ManifestReader {

  static final int MAX_ALIASES = 50;
  static final int MAX_DEPTH = 100;
  static final int MAX_CODE_POINTS = 3 * 1024 * 1024;

  /** Values one document may expand to once aliases are followed (a flat-out alias bomb guard). */
  static final int MAX_VALUES = 1_000_000;

  private ManifestReader() {}

  /** What one stream yielded: its manifests, and its errors (a syntax error ends the stream). */
  record Result(
      List<Manifest> manifests,
      List<RenderError> errors,
      Set<String> inputs,
      Map<String, Set<String>> secrets) {
    Result {
      manifests = List.copyOf(manifests);
      errors = List.copyOf(errors);
      inputs = Set.copyOf(inputs);
      secrets = Map.copyOf(secrets);
    }

    Result(List<Manifest> manifests, List<RenderError> errors) {
      this(manifests, errors, Set.of(), Map.of());
    }
  }

  /**
   * @param file the name to report, relative to the repository root
   */
  static Result read(Reader reader, String file) {
    return read(reader, file, SopsDecryptor.withoutKeys());
  }

  /** Reads the stream, decrypting it in memory (lines kept) when it is a SOPS file. */
  static Result read(Reader reader, String file, SopsDecryptor sops) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    TreeConstructor constructor = new TreeConstructor(options);
    Yaml yaml =
        new Yaml(constructor, new Representer(new DumperOptions()), new DumperOptions(), options);
    List<Manifest> manifests = new ArrayList<>();
    List<RenderError> errors = new ArrayList<>();
    Set<String> secrets = Set.of();
    try {
      List<Node> documents = new ArrayList<>();
      yaml.composeAll(reader).forEach(documents::add);
      secrets = sops.decryptYaml(file, documents);
      for (Node node : documents) {
        readDocument(node, constructor, file, manifests, errors);
      }
    } catch (SopsException e) {
      errors.add(RenderError.at(e.file(), e.line(), e.reason()));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      errors.add(RenderError.at(file, line, "YAML: " + e.getProblem()));
    } catch (YAMLException e) {
      errors.add(RenderError.at(file, 0, "YAML: " + e.getMessage()));
    }
    return new Result(
        manifests, errors, Set.of(), secrets.isEmpty() ? Map.of() : Map.of(file, secrets));
  }

  private static void readDocument(
      Node node,
      TreeConstructor constructor,
      String file,
      List<Manifest> manifests,
      List<RenderError> errors) {
    int line = node.getStartMark().getLine() + 1;
    if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
      return; // an empty document, as between two '---'
    }
    if (!(node instanceof MappingNode mapping)) {
      errors.add(RenderError.at(file, line, "a manifest must be a mapping"));
      return;
    }
    Object tree;
    try {
      tree = constructor.construct(node);
      budget(tree);
    } catch (MarkedYAMLException e) {
      int at = e.getProblemMark() == null ? line : e.getProblemMark().getLine() + 1;
      errors.add(RenderError.at(file, at, "YAML: " + e.getProblem()));
      return;
    } catch (YAMLException e) {
      errors.add(RenderError.at(file, line, "YAML: " + e.getMessage()));
      return;
    }
    Map<String, Object> object = asTree(tree);
    if (isList(object)) {
      List<Node> itemNodes = itemNodes(mapping);
      List<?> items = (List<?>) object.get("items");
      for (int i = 0; i < items.size(); i++) {
        int itemLine = i < itemNodes.size() ? itemNodes.get(i).getStartMark().getLine() + 1 : line;
        if (items.get(i) instanceof Map<?, ?> item) {
          manifests.add(new Manifest(asTree(item), new SourceLocation(file, itemLine)));
        } else {
          errors.add(RenderError.at(file, itemLine, "a List item must be a mapping"));
        }
      }
      return;
    }
    manifests.add(new Manifest(object, new SourceLocation(file, line)));
  }

  /** {@code kind: List} or any {@code FooList}, with an {@code items} sequence. */
  static boolean isList(Map<String, Object> object) {
    return object.get("kind") instanceof String kind
        && kind.endsWith("List")
        && object.get("items") instanceof List<?>;
  }

  private static List<Node> itemNodes(MappingNode mapping) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key
          && "items".equals(key.getValue())
          && tuple.getValueNode() instanceof SequenceNode items) {
        return items.getValue();
      }
    }
    return List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asTree(Object map) {
    return io.tidemark.model.Trees.mutableCopy((Map<String, ?>) map);
  }

  /** Counts values with aliases expanded, so a few anchors cannot stand for millions of copies. */
  private static void budget(Object tree) {
    int[] left = {MAX_VALUES};
    count(tree, left, new IdentityHashMap<>());
  }

  private static void count(Object value, int[] left, IdentityHashMap<Object, Boolean> path) {
    if (--left[0] < 0) {
      throw new YAMLException("document expands to more than " + MAX_VALUES + " values");
    }
    if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
      return;
    }
    if (path.put(value, Boolean.TRUE) != null) {
      throw new YAMLException("recursive alias");
    }
    if (value instanceof Map<?, ?> map) {
      for (Object child : map.values()) {
        count(child, left, path);
      }
    } else {
      for (Object child : (List<?>) value) {
        count(child, left, path);
      }
    }
    path.remove(value);
  }

  /** SnakeYAML's safe constructor, building one composed document; timestamps stay strings. */
  private static final class TreeConstructor extends SafeConstructor {

    TreeConstructor(LoaderOptions options) {
      super(options);
      // Kubernetes reads unquoted dates as strings (YAML -> JSON), never as timestamps.
      this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }

    Object construct(Node node) {
      return constructDocument(node);
    }
  }
}
