package io.tidemark.desired.sops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SOPS' JSON and binary stores: a JSON object with a {@code sops} member, decrypted in place; a
 * binary file is such an object with only {@code data} besides, and its plain content is that
 * value.
 */
final class JsonSops {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonSops() {}

  /** The parsed object when it holds a {@code sops} object with a mac; null otherwise. */
  static ObjectNode parse(byte[] bytes) {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node instanceof ObjectNode object
          && object.get(YamlSops.METADATA_KEY) instanceof ObjectNode block
          && block.has("mac")) {
        return object;
      }
    } catch (java.io.IOException | RuntimeException e) {
      return null; // not JSON: another store may read it
    }
    return null;
  }

  /** A binary-store file: {@code data} and {@code sops}, nothing else. */
  static boolean binary(ObjectNode object) {
    return object.size() == 2 && object.get("data") instanceof TextNode;
  }

  /** Decrypts in place and drops the {@code sops} member; returns the plain encrypted values. */
  static TreeDecryption.Result decrypt(String file, ObjectNode object, AgeKeys keys)
      throws SopsException {
    SopsMetadata md =
        SopsMetadata.parse(
            JSON.convertValue(object.get(YamlSops.METADATA_KEY), Map.class), file, 0);
    object.remove(YamlSops.METADATA_KEY);
    List<TreeDecryption.Leaf> leaves = new ArrayList<>();
    List<Consumer<JsonNode>> setters = new ArrayList<>();
    walk(object, new ArrayList<>(), leaves, setters, n -> {});
    TreeDecryption.Result result = TreeDecryption.decrypt(file, 0, md, keys, leaves);
    for (int i = 0; i < leaves.size(); i++) {
      if (md.rules().encrypted(leaves.get(i).path())) {
        setters.get(i).accept(node(result.values().get(i)));
      }
    }
    return result;
  }

  static byte[] write(ObjectNode object) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(object);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  /** The content of a decrypted binary-store file. */
  static byte[] binaryContent(ObjectNode object) {
    return object.get("data").asText().getBytes(StandardCharsets.UTF_8);
  }

  private static void walk(
      JsonNode node,
      List<String> path,
      List<TreeDecryption.Leaf> leaves,
      List<Consumer<JsonNode>> setters,
      Consumer<JsonNode> setter) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
      fields.forEachRemaining(entries::add);
      for (Map.Entry<String, JsonNode> entry : entries) {
        List<String> child = new ArrayList<>(path);
        child.add(entry.getKey());
        walk(entry.getValue(), child, leaves, setters, n -> object.set(entry.getKey(), n));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        int index = i;
        walk(array.get(i), path, leaves, setters, n -> array.set(index, n));
      }
    } else if (!node.isNull() && !path.isEmpty()) {
      Object value;
      if (node.isTextual()) {
        value = node.asText();
      } else if (node.isBoolean()) {
        value = node.asBoolean();
      } else if (node.isIntegralNumber()) {
        value = node.asLong();
      } else {
        value = node.asDouble();
      }
      leaves.add(new TreeDecryption.Leaf(path, value, 0));
      setters.add(setter);
    }
  }

  private static JsonNode node(Object value) {
    if (value instanceof Long l) {
      return LongNode.valueOf(l);
    }
    if (value instanceof Double d) {
      return DoubleNode.valueOf(d);
    }
    if (value instanceof Boolean b) {
      return BooleanNode.valueOf(b);
    }
    return TextNode.valueOf(MacBytes.text(value));
  }
}
