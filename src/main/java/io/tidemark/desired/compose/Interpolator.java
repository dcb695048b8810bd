package io.tidemark.desired.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code
 * ${VAR:?error}}, {@code ${VAR?error}} and {@code $$} in string values, with the same pattern as
 * the docker CLI's compose template (variable names are case-insensitive in the pattern, and
 * unbraced names also take a modifier). An unset variable without default becomes empty.
 */
public final class Interpolator {

  private static final String SUBST = "[_a-z][_a-z0-9]*(?::?[-?][^}]*)?";
  private static final Pattern PATTERN =
      Pattern.compile(
          "\\$(?i:(?<escaped>\\$)|(?<named>"
              + SUBST
              + ")|\\{(?<braced>"
              + SUBST
              + ")}|(?<invalid>))");

  private final Map<String, String> variables;

  public Interpolator(Map<String, String> variables) {
    this.variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
  }

  /** Why a string could not be interpolated. */
  public static final class InterpolationException extends Exception {
    public InterpolationException(String message) {
      super(message);
    }
  }

  /** The string with every substitution done. */
  public String substitute(String template) throws InterpolationException {
    Matcher matcher = PATTERN.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement(matcher, template)));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * Interpolates every string value (not the keys) of {@code tree} in place; {@code onError} gets
   * the path and the reason of each value that fails.
   */
  public Object interpolate(
      Object tree, List<String> path, BiConsumer<List<String>, String> onError) {
    if (tree instanceof String text) {
      try {
        return substitute(text);
      } catch (InterpolationException e) {
        onError.accept(path, e.getMessage());
        return text;
      }
    }
    if (tree instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) ->
              out.put(String.valueOf(k), interpolate(v, append(path, String.valueOf(k)), onError)));
      return out;
    }
    if (tree instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(interpolate(list.get(i), append(path, String.valueOf(i)), onError));
      }
      return out;
    }
    return tree;
  }

  private String replacement(Matcher matcher, String template) throws InterpolationException {
    if (matcher.group("escaped") != null) {
      return "$";
    }
    String substitution =
        matcher.group("named") != null ? matcher.group("named") : matcher.group("braced");
    if (substitution == null) {
      throw new InterpolationException("invalid interpolation in \"" + template + "\"");
    }
    int required = substitution.indexOf('?');
    int dash = substitution.indexOf('-');
    if (required >= 0 && (dash < 0 || required < dash)) {
      boolean nonEmpty = required > 0 && substitution.charAt(required - 1) == ':';
      String name = substitution.substring(0, nonEmpty ? required - 1 : required);
      String value = variables.get(name);
      if (value == null || (nonEmpty && value.isEmpty())) {
        throw new InterpolationException(
            "required variable "
                + name
                + " is missing a value: "
                + substitution.substring(required + 1));
      }
      return value;
    }
    if (dash >= 0) {
      boolean soft = dash > 0 && substitution.charAt(dash - 1) == ':';
      String name = substitution.substring(0, soft ? dash - 1 : dash);
      String value = variables.get(name);
      boolean useDefault = value == null || (soft && value.isEmpty());
      return useDefault ? substitution.substring(dash + 1) : value;
    }
    return variables.getOrDefault(substitution, "");
  }

  private static List<String> append(List<String> path, String key) {
    List<String> out = new ArrayList<>(path);
    out.add(key);
    return out;
  }
}
