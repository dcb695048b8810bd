package io.tidemark.diff;

import io.tidemark.model.ObjectKey;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An ignore rule of a target ({@code tidemark.targets.<name>.ignore[i]}): fields at {@code paths}
 * of the objects of {@code kind} whose name matches the glob {@code name} are neither drift nor
 * written. An empty kind or name matches every object. Argo CD's {@code ignoreDifferences}.
 */
public record IgnoreRule(String id, String kind, String name, List<String> paths) {

  public IgnoreRule {
    Objects.requireNonNull(id, "id");
    kind = kind == null ? "" : kind.strip();
    name = name == null || name.isBlank() ? "*" : name.strip();
    paths = paths.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
    if (paths.isEmpty()) {
      throw new IllegalArgumentException(id + ".paths names no field");
    }
    for (String path : paths) {
      try {
        FieldPaths.parse(path);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(id + ".paths: " + e.getMessage(), e);
      }
    }
  }

  /** A rule from the comma-separated paths of the configuration. */
  public static IgnoreRule of(String id, String kind, String name, String paths) {
    return new IgnoreRule(id, kind, name, List.of(paths.split(",")));
  }

  /**
   * Whether the rule applies to {@code key}: its kind equals the rule's (case aside; a Kubernetes
   * kind matches with or without its API group, {@code Deployment} or {@code Deployment.apps}) and
   * its name matches the glob ({@code *} any run of characters, {@code ?} one).
   */
  public boolean matches(ObjectKey key) {
    return kindMatches(key.kind()) && glob(name).matcher(key.name()).matches();
  }

  private boolean kindMatches(String objectKind) {
    if (kind.isEmpty() || kind.equals("*")) {
      return true;
    }
    String k = kind.toLowerCase(Locale.ROOT);
    String o = objectKind.toLowerCase(Locale.ROOT);
    int dot = o.indexOf('.');
    return k.equals(o) || (dot > 0 && k.equals(o.substring(0, dot)));
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
