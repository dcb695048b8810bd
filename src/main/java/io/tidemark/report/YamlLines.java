package io.tidemark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders one field of a spec tree as YAML-like lines ({@code path: value}, block maps and lists,
 * {@code |} for multi-line text), quoting a string as JSON only where plain YAML would misread it.
 */
final class YamlLines {

  private static final Pattern NUMBER_LIKE =
      Pattern.compile("[-+]?(\\.?[0-9][0-9_.eE+-]*|\\.inf|\\.nan|0x[0-9a-fA-F]+|0o[0-7]+)");
  private static final List<String> RESERVED =
      List.of("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~");
  private static final String INDICATORS = "[]{}#&*!|>'\"%@`,?:";

  private YamlLines() {}

  /** The lines of {@code key: value}; a collection value continues on indented lines. */
  static List<String> of(String key, Object value) {
    List<String> lines = new ArrayList<>();
    entry(lines, "", scalar(key), value);
    return lines;
  }

  private static void entry(List<String> lines, String indent, String key, Object value) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      lines.add(indent + key + ":");
      map.forEach((k, v) -> entry(lines, indent + "  ", scalar(String.valueOf(k)), v));
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      lines.add(indent + key + ":");
      list.forEach(item -> item(lines, indent + "  ", item));
    } else if (multiLine(value)) {
      String text = (String) value;
      lines.add(indent + key + ": " + (text.endsWith("\n") ? "|" : "|-"));
      text.lines().forEach(line -> lines.add(indent + "  " + line));
    } else {
      lines.add(indent + key + ": " + inline(value));
    }
  }

  private static void item(List<String> lines, String indent, Object value) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      // "- k: v" for the first entry, the others aligned under it.
      List<String> nested = new ArrayList<>();
      map.forEach((k, v) -> entry(nested, indent + "  ", scalar(String.valueOf(k)), v));
      lines.add(indent + "- " + nested.get(0).substring(indent.length() + 2));
      lines.addAll(nested.subList(1, nested.size()));
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      lines.add(indent + "-");
      list.forEach(inner -> item(lines, indent + "  ", inner));
    } else if (multiLine(value)) {
      String text = (String) value;
      lines.add(indent + "- " + (text.endsWith("\n") ? "|" : "|-"));
      text.lines().forEach(line -> lines.add(indent + "    " + line));
    } else {
      lines.add(indent + "- " + inline(value));
    }
  }

  private static boolean multiLine(Object value) {
    return value instanceof String text && text.strip().contains("\n");
  }

  private static String inline(Object value) {
    if (value instanceof Map<?, ?>) {
      return "{}";
    }
    if (value instanceof List<?>) {
      return "[]";
    }
    if (value == null) {
      return "null";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return scalar(value.toString());
  }

  /** A string as a plain YAML scalar when that reads back as the same string, else JSON-quoted. */
  static String scalar(String text) {
    return plain(text) ? text : quoted(text);
  }

  private static boolean plain(String text) {
    if (text.isEmpty() || !text.equals(text.strip())) {
      return false;
    }
    if (RESERVED.contains(text.toLowerCase(Locale.ROOT)) || NUMBER_LIKE.matcher(text).matches()) {
      return false;
    }
    if (INDICATORS.indexOf(text.charAt(0)) >= 0 || text.equals("-") || text.startsWith("- ")) {
      return false;
    }
    if (text.contains(": ") || text.contains(" #") || text.endsWith(":")) {
      return false;
    }
    return text.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  static String quoted(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
