package io.tidemark.cli;

import io.tidemark.diff.SecretMask;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Prints the objects a folder renders to as one YAML stream, each after a {@code # Source:} line
 * naming the file and line it came from, for review in CI. Secret data and every value decrypted
 * from a SOPS file are printed masked ({@code <secret sha256:...>}), never in plain text.
 */
final class RenderedObjects {

  private RenderedObjects() {}

  static String yaml(DesiredState state) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setSplitLines(false);
    Yaml yaml = new Yaml(options);
    StringBuilder out = new StringBuilder();
    for (DesiredObject object : state.list()) {
      out.append("---\n# Source: ").append(object.source()).append('\n');
      out.append(yaml.dump(masked(object)));
    }
    return out.toString();
  }

  private static Object masked(DesiredObject object) {
    Map<String, Object> copy = new LinkedHashMap<>();
    object
        .spec()
        .forEach(
            (key, value) -> {
              boolean data = key.equals("data") || key.equals("stringData");
              copy.put(
                  key,
                  object.secret() && data
                      ? maskAll(value)
                      : maskDecrypted(value, object.maskedValues()));
            });
    return copy;
  }

  private static Object maskAll(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, SecretMask.mask(v)));
      return out;
    }
    return SecretMask.mask(value);
  }

  private static Object maskDecrypted(Object value, Set<String> secrets) {
    if (secrets.isEmpty()) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, maskDecrypted(v, secrets)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(maskDecrypted(v, secrets)));
      return out;
    }
    if (value instanceof String text) {
      for (String secret : secrets) {
        if (!secret.isEmpty() && text.contains(secret)) {
          return SecretMask.mask(text);
        }
      }
    }
    return value;
  }
}
