package io.tidemark.desired.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the short port syntax ({@code [ip:][published:]target[/protocol]}, with ranges) into long
 * port mappings as the docker CLI does: ingress mode, the host IP ignored, and one mapping per port
 * of a range.
 */
final class PortSyntax {

  private PortSyntax() {}

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
      } else if (item instanceof String || item instanceof Long) {
        try {
          out.addAll(parse(Scalars.text(item)));
        } catch (IllegalArgumentException e) {
          findings.error(itemPath, e.getMessage());
        }
      } else {
        findings.error(itemPath, "must be a string, a number or a mapping");
      }
    }
    return out;
  }

  /** The long mappings of one short port entry. */
  static List<Map<String, Object>> parse(String spec) {
    String rest = spec;
    String protocol = "tcp";
    int slash = rest.lastIndexOf('/');
    if (slash >= 0) {
      protocol = rest.substring(slash + 1).toLowerCase();
      rest = rest.substring(0, slash);
    }
    if (rest.startsWith("[")) {
      int close = rest.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("invalid port \"" + spec + "\"");
      }
      rest = rest.substring(close + 2);
    }
    String[] parts = rest.split(":", -1);
    String host;
    String container;
    switch (parts.length) {
      case 1 -> {
        host = "";
        container = parts[0];
      }
      case 2 -> {
        host = parts[0];
        container = parts[1];
      }
      case 3 -> {
        host = parts[1];
        container = parts[2];
      }
      default -> throw new IllegalArgumentException("invalid port \"" + spec + "\"");
    }
    int[] targets = range(container, spec);
    int[] published = host.isEmpty() ? null : range(host, spec);
    List<Map<String, Object>> out = new ArrayList<>();
    int count = targets[1] - targets[0];
    if (published != null && published[1] - published[0] != count && count != 0) {
      throw new IllegalArgumentException("invalid ranges in port \"" + spec + "\"");
    }
    for (int i = 0; i <= count; i++) {
      if (published == null) {
        out.add(port(targets[0] + i, 0, protocol));
      } else if (count == 0) {
        for (int p = published[0]; p <= published[1]; p++) {
          out.add(port(targets[0], p, protocol));
        }
      } else {
        out.add(port(targets[0] + i, published[0] + i, protocol));
      }
    }
    return out;
  }

  private static Map<String, Object> port(int target, int published, String protocol) {
    Map<String, Object> port = new LinkedHashMap<>();
    port.put("mode", "ingress");
    port.put("target", (long) target);
    if (published != 0) {
      port.put("published", (long) published);
    }
    port.put("protocol", protocol);
    return port;
  }

  private static int[] range(String text, String spec) {
    try {
      int dash = text.indexOf('-');
      int start = Integer.parseInt(dash < 0 ? text : text.substring(0, dash));
      int end = dash < 0 ? start : Integer.parseInt(text.substring(dash + 1));
      if (start < 0 || end < start || end > 65535) {
        throw new NumberFormatException();
      }
      return new int[] {start, end};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port \"" + spec + "\"");
    }
  }
}
