package io.tidemark.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the Prometheus text exposition format (version 0.0.4) into samples keyed by metric name
 * and sorted labels, failing on any line that is not a comment, blank, or a valid sample.
 */
final class PrometheusText {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+-?\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private PrometheusText() {}

  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches()) {
        throw new AssertionError("not Prometheus text format: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        Matcher l = LABEL.matcher(m.group(3));
        int end = 0;
        while (l.find()) {
          if (l.start() != end) {
            throw new AssertionError("bad labels in: " + line);
          }
          labels.put(l.group(1), l.group(2));
          end = l.end();
        }
        if (end != m.group(3).length()) {
          throw new AssertionError("bad labels in: " + line);
        }
      }
      StringBuilder key = new StringBuilder(m.group(1));
      if (!labels.isEmpty()) {
        key.append('{');
        labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setLength(key.length() - 1);
        key.append('}');
      }
      samples.put(key.toString(), Double.parseDouble(m.group(4)));
    }
    return samples;
  }
}
