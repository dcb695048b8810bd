package io.tidemark.desired.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the short forms of one compose file into its long forms (lists or maps of {@code K=V}
 * into maps, string commands into words, short port and volume syntax into mappings), so that files
 * merge and convert without caring how a value was written.
 */
public final class ComposeNormalizer {

  private final Findings findings;

  public ComposeNormalizer(Findings findings) {
    this.findings = findings;
  }

  /** Normalises the sections of {@code root} in place. */
  public void normalize(Map<String, Object> root) {
    Map<String, Object> services = section(root, "services");
    services.forEach(
        (name, service) -> {
          List<String> path = List.of("services", name);
          if (service instanceof Map<?, ?> map) {
            service(asMap(map), path);
          } else if (service != null) {
            findings.error(path, "a service must be a mapping");
          }
        });
    for (String kind : List.of("networks", "volumes", "secrets", "configs")) {
      section(root, kind).forEach((name, object) -> external(object));
    }
  }

  private void service(Map<String, Object> service, List<String> path) {
    replace(service, path, "command", this::words);
    replace(service, path, "entrypoint", this::words);
    replace(service, path, "environment", (v, p) -> mapping(v, p, "=", true));
    replace(service, path, "labels", (v, p) -> mapping(v, p, "=", false));
    replace(service, path, "sysctls", (v, p) -> mapping(v, p, "=", false));
    replace(service, path, "extra_hosts", this::hosts);
    for (String key : List.of("env_file", "dns", "dns_search", "tmpfs")) {
      replace(service, path, key, this::stringList);
    }
    replace(service, path, "ports", (v, p) -> PortSyntax.normalize(v, p, findings));
    replace(service, path, "volumes", (v, p) -> VolumeSyntax.normalize(v, p, findings));
    replace(service, path, "secrets", this::sourceMaps);
    replace(service, path, "configs", this::sourceMaps);
    replace(service, path, "networks", this::networks);
    if (service.get("healthcheck") instanceof Map<?, ?> health) {
      replace(asMap(health), child(path, "healthcheck"), "test", this::healthTest);
    }
    if (service.get("deploy") instanceof Map<?, ?> deploy) {
      replace(asMap(deploy), child(path, "deploy"), "labels", (v, p) -> mapping(v, p, "=", false));
    }
  }

  private Object words(Object value, List<String> path) {
    if (value instanceof String text) {
      try {
        return ShellWords.split(text);
      } catch (IllegalArgumentException e) {
        findings.error(path, e.getMessage());
        return value;
      }
    }
    return stringItems(value, path);
  }

  private Object healthTest(Object value, List<String> path) {
    if (value instanceof String text) {
      return new ArrayList<>(List.of("CMD-SHELL", text));
    }
    return stringItems(value, path);
  }

  private Object stringList(Object value, List<String> path) {
    if (value instanceof String text) {
      return new ArrayList<>(List.of(text));
    }
    return stringItems(value, path);
  }

  private Object stringItems(Object value, List<String> path) {
    if (!(value instanceof List<?> list)) {
      findings.error(path, "must be a string or a list of strings");
      return value;
    }
    List<Object> out = new ArrayList<>();
    for (Object item : list) {
      if (!Scalars.isScalar(item)) {
        findings.error(child(path, String.valueOf(out.size())), "must be a string");
      }
      out.add(item == null ? null : Scalars.text(item));
    }
    return out;
  }

  /** A {@code K=V} list or a mapping, as a map; {@code allowNull} keeps keys without value. */
  private Object mapping(Object value, List<String> path, String separator, boolean allowNull) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (v != null && !Scalars.isScalar(v)) {
              findings.error(child(path, String.valueOf(k)), "must be a string, number or boolean");
            }
            out.put(String.valueOf(k), v == null ? (allowNull ? null : "") : Scalars.text(v));
          });
      return out;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        if (!Scalars.isScalar(item)) {
          findings.error(child(path, String.valueOf(i)), "must be a string");
          continue;
        }
        String entry = Scalars.text(item);
        int at = entry.indexOf(separator);
        if (at >= 0) {
          out.put(entry.substring(0, at), entry.substring(at + separator.length()));
        } else {
          out.put(entry, allowNull ? null : "");
        }
      }
      return out;
    }
    findings.error(path, "must be a mapping or a list");
    return value;
  }

  private Object hosts(Object value, List<String> path) {
    List<String> out = new ArrayList<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.add(k + ":" + (v == null ? "" : Scalars.text(v))));
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        String entry = Scalars.text(item);
        int eq = entry.indexOf('=');
        int colon = entry.indexOf(':');
        int at = eq >= 0 ? eq : colon;
        if (at >= 0) {
          out.add(entry.substring(0, at) + ":" + entry.substring(at + 1));
        }
      }
    } else {
      findings.error(path, "must be a mapping or a list");
      return value;
    }
    List<String> unbracketed = new ArrayList<>();
    for (String host : out) {
      int colon = host.indexOf(':');
      String ip = host.substring(colon + 1);
      if (ip.length() > 2 && ip.startsWith("[") && ip.endsWith("]")) {
        ip = ip.substring(1, ip.length() - 1);
      }
      unbracketed.add(host.substring(0, colon) + ":" + ip);
    }
    return unbracketed;
  }

  private Object sourceMaps(Object value, List<String> path) {
    if (!(value instanceof List<?> list)) {
      findings.error(path, "must be a list");
      return value;
    }
    List<Object> out = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof String source) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("source", source);
        out.add(entry);
      } else if (item instanceof Map<?, ?>) {
        out.add(item);
      } else {
        findings.error(child(path, String.valueOf(out.size())), "must be a string or a mapping");
      }
    }
    return out;
  }

  private Object networks(Object value, List<String> path) {
    if (value instanceof List<?> list) {
      Map<String, Object> out = new LinkedHashMap<>();
      list.forEach(name -> out.put(Scalars.text(name), null));
      return out;
    }
    if (!(value instanceof Map<?, ?>)) {
      findings.error(path, "must be a list or a mapping");
    }
    return value;
  }

  /** {@code external: true} or {@code external: {name: x}} as {@code external: true, name: x}. */
  private static void external(Object object) {
    if (object instanceof Map<?, ?> map && map.get("external") instanceof Map<?, ?> ext) {
      Map<String, Object> target = asMap(map);
      target.put("external", true);
      if (ext.get("name") != null) {
        target.put("name", ext.get("name"));
      }
    }
  }

  @FunctionalInterface
  private interface Rewrite {
    Object apply(Object value, List<String> path);
  }

  private static void replace(
      Map<String, Object> map, List<String> path, String key, Rewrite rewrite) {
    if (map.get(key) != null) {
      map.put(key, rewrite.apply(map.get(key), child(path, key)));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> section(Map<String, Object> root, String key) {
    return root.get(key) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  static List<String> child(List<String> path, String key) {
    List<String> out = new ArrayList<>(path);
    out.add(key);
    return List.copyOf(out);
  }
}
