package io.tidemark.desired.compose;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The expected shape of a compose value, used by {@link ComposeSchema} to report wrong types. */
sealed interface Shape {

  /** Checks {@code value} at {@code path}, reporting each problem to {@code findings}. */
  void check(Object value, List<String> path, Findings findings);

  Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  Pattern NUMBER = Pattern.compile("[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?");

  /** Scalars: strings, or numbers and booleans also given as interpolated strings. */
  enum Scalar implements Shape {
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    STRING_OR_NUMBER;

    @Override
    public void check(Object value, List<String> path, Findings findings) {
      boolean ok =
          switch (this) {
            case STRING -> value instanceof String;
            case STRING_OR_NUMBER -> value instanceof String || value instanceof Number;
            case INTEGER ->
                value instanceof Long
                    || value instanceof java.math.BigInteger
                    || value instanceof String s && Shape.INTEGER.matcher(s).matches();
            case NUMBER ->
                value instanceof Number
                    || value instanceof String s && Shape.NUMBER.matcher(s).matches();
            case BOOLEAN ->
                value instanceof Boolean
                    || value instanceof String s && Set.of("true", "false").contains(s);
          };
      if (!ok && value != null) {
        findings.error(path, "must be " + name().toLowerCase().replace('_', ' '));
      }
    }
  }

  /** A list whose items have one shape; {@code orSingle} also accepts one item alone. */
  record ListOf(Shape item, boolean orSingle) implements Shape {
    @Override
    public void check(Object value, List<String> path, Findings findings) {
      if (value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          item.check(list.get(i), ComposeNormalizer.child(path, String.valueOf(i)), findings);
        }
      } else if (orSingle) {
        item.check(value, path, findings);
      } else if (value != null) {
        findings.error(path, "must be a list");
      }
    }
  }

  /** A mapping of arbitrary keys to values of one shape. */
  record DictOf(Shape value) implements Shape {
    @Override
    public void check(Object tree, List<String> path, Findings findings) {
      if (tree instanceof Map<?, ?> map) {
        map.forEach(
            (k, v) -> value.check(v, ComposeNormalizer.child(path, String.valueOf(k)), findings));
      } else if (tree != null) {
        findings.error(path, "must be a mapping");
      }
    }
  }

  /** A mapping with known keys; keys starting with {@code x-} are extensions and ignored. */
  record Obj(Map<String, Shape> fields) implements Shape {
    @Override
    public void check(Object tree, List<String> path, Findings findings) {
      if (tree == null) {
        return;
      }
      if (!(tree instanceof Map<?, ?> map)) {
        findings.error(path, "must be a mapping");
        return;
      }
      map.forEach(
          (k, v) -> {
            String key = String.valueOf(k);
            List<String> child = ComposeNormalizer.child(path, key);
            Shape shape = fields.get(key);
            if (shape != null) {
              shape.check(v, child, findings);
            } else if (!key.startsWith("x-")) {
              findings.error(child, "unknown key");
            }
          });
    }
  }

  /** The first alternative whose outer type matches decides (a list, a mapping or a scalar). */
  record Either(Shape list, Shape map, Shape scalar) implements Shape {
    @Override
    public void check(Object value, List<String> path, Findings findings) {
      Shape chosen = value instanceof List<?> ? list : value instanceof Map<?, ?> ? map : scalar;
      if (chosen == null) {
        if (value != null) {
          findings.error(path, "has the wrong type");
        }
        return;
      }
      chosen.check(value, path, findings);
    }
  }

  /** A string, number or boolean (labels, options, environment values). */
  record AnyScalar() implements Shape {
    @Override
    public void check(Object value, List<String> path, Findings findings) {
      if (value != null && !Scalars.isScalar(value)) {
        findings.error(path, "must be a string, number or boolean");
      }
    }
  }

  /** Anything (extension points such as {@code build} that Swarm ignores). */
  record Any() implements Shape {
    @Override
    public void check(Object value, List<String> path, Findings findings) {}
  }
}
