package io.tidemark.cluster.kubernetes;

import io.tidemark.model.Labels;
import io.tidemark.model.Trees;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SHA-256 of a desired object's content that ignores key order and the commit annotation (which
 * moves with every commit while the content stays the same), so an unchanged object in a new commit
 * hashes the same. Values keep their type: {@code "1"} and {@code 1} differ.
 */
final class ContentHash {

  private ContentHash() {}

  static String of(Map<String, ?> desired) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    write(digest, withoutCommit(desired));
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A shallow copy of the object without the commit annotation; the object when it has none. */
  private static Map<String, ?> withoutCommit(Map<String, ?> object) {
    if (!(Trees.at(object, "metadata", "annotations") instanceof Map<?, ?> annotations)
        || !annotations.containsKey(Labels.COMMIT)) {
      return object;
    }
    Map<Object, Object> notes = new LinkedHashMap<>(annotations);
    notes.remove(Labels.COMMIT);
    Map<Object, Object> metadata = new LinkedHashMap<>((Map<?, ?>) object.get("metadata"));
    metadata.put("annotations", notes);
    Map<String, Object> copy = new LinkedHashMap<>(object);
    copy.put("metadata", metadata);
    return copy;
  }

  private static void write(MessageDigest digest, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      token(digest, '{', "");
      sorted.forEach(
          (key, child) -> {
            token(digest, 'k', key);
            write(digest, child);
          });
      token(digest, '}', "");
    } else if (value instanceof List<?> list) {
      token(digest, '[', "");
      list.forEach(item -> write(digest, item));
      token(digest, ']', "");
    } else if (value == null) {
      token(digest, 'z', "");
    } else if (value instanceof String text) {
      token(digest, 's', text);
    } else if (value instanceof Number number) {
      token(digest, 'n', number.toString());
    } else if (value instanceof Boolean bool) {
      token(digest, 'b', bool.toString());
    } else {
      token(digest, 'o', value.toString());
    }
  }

  /** A type tag and a length-prefixed text, so that no two different trees write the same bytes. */
  private static void token(MessageDigest digest, char tag, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) tag);
    digest.update(
        new byte[] {
          (byte) (bytes.length >>> 24),
          (byte) (bytes.length >>> 16),
          (byte) (bytes.length >>> 8),
          (byte) bytes.length
        });
    digest.update(bytes);
  }
}
