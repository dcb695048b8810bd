package io.tidemark.desired.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the short volume syntax ({@code [source:]target[:options]}) into long volume mappings as
 * the docker CLI does: a source starting with {@code .}, {@code /} or {@code ~} is a bind mount,
 * any other source a named volume, and options {@code ro}, {@code rw}, {@code nocopy} and bind
 * propagation modes.
 */
final class VolumeSyntax {

  private static final Set<String> PROPAGATIONS =
      Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");

  private VolumeSyntax() {}

  static Object normalize(Object value, List<String> path, Findings findings) {
    if (!(value instanceof List<?> list)) {
      findings.error(path, "must be a list");
      return value;
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      List<String> itemPath = ComposeNormalizer.child(path, String.valueOf(i));
      if (item instanceof Map<?, ?>) {
        out.add(item);
      } else if (item instanceof String spec) {
        try {
          out.add(parse(spec));
        } catch (IllegalArgumentException e) {
          findings.error(itemPath, e.getMessage());
        }
      } else {
        findings.error(itemPath, "must be a string or a mapping");
      }
    }
    return out;
  }

  static Map<String, Object> parse(String spec) {
    Map<String, Object> volume = new LinkedHashMap<>();
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("invalid empty volume");
    }
    String[] parts = spec.split(":", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("invalid volume \"" + spec + "\": empty section");
      }
    }
    if (parts.length > 3) {
      throw new IllegalArgumentException("invalid volume \"" + spec + "\": too many colons");
    }
    String source = parts.length >= 2 ? parts[0] : "";
    boolean bind = !source.isEmpty() && ".~/".indexOf(source.charAt(0)) >= 0;
    volume.put("type", bind ? "bind" : "volume");
    if (!source.isEmpty()) {
      volume.put("source", source);
    }
    volume.put("target", parts.length >= 2 ? parts[1] : parts[0]);
    if (parts.length == 3) {
      for (String option : parts[2].split(",")) {
        switch (option) {
          case "ro" -> volume.put("read_only", true);
          case "rw" -> volume.remove("read_only");
          case "nocopy" -> volume.put("volume", new LinkedHashMap<>(Map.of("nocopy", true)));
          default -> {
            if (PROPAGATIONS.contains(option)) {
              volume.put("bind", new LinkedHashMap<>(Map.of("propagation", option)));
            }
          }
        }
      }
    }
    return volume;
  }
}
