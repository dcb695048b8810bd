package io.tidemark.diff;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the differences that would show a secret outside Secret objects: environment entries whose
 * names look secret (glob patterns such as {@code *PASSWORD*}, case-insensitive), on Swarm ({@code
 * TaskTemplate.ContainerSpec.Env.NAME}) and Kubernetes ({@code env[name=NAME]}), and any value that
 * holds a value decrypted from a SOPS file. Pure.
 */
public final class ValueMask {

  /** The names masked when none are configured ({@code tidemark.mask.names}). */
  public static final List<String> DEFAULT_NAMES =
      List.of("*PASSWORD*", "*SECRET*", "*TOKEN*", "*KEY*", "*CREDENTIAL*");

  /** Decrypted values shorter than this are masked only where they are the whole value. */
  private static final int MIN_CONTAINED_CHARS = 4;

  private static final String SWARM_ENV = "TaskTemplate.ContainerSpec.Env.";
  private static final Pattern KUBERNETES_ENV = Pattern.compile("\\.env\\[name=([^\\]]+)\\]");

  private final List<Pattern> names;

  public ValueMask(List<String> namePatterns) {
    this.names = namePatterns.stream().map(ValueMask::glob).toList();
  }

  public static ValueMask defaults() {
    return new ValueMask(DEFAULT_NAMES);
  }

  /** The differences with every secret-looking or decrypted value masked. */
  public List<FieldDiff> apply(DesiredObject desired, List<FieldDiff> diffs) {
    List<FieldDiff> out = new ArrayList<>(diffs.size());
    for (FieldDiff diff : diffs) {
      boolean mask =
          desired.secret()
              || secretPath(diff.path())
              || holdsSecretEntry(diff.desired())
              || holdsSecretEntry(diff.live())
              || holdsDecrypted(desired, diff.desired())
              || holdsDecrypted(desired, diff.live());
      out.add(
          mask
              ? new FieldDiff(
                  diff.path(),
                  SecretMask.mask(diff.desired()),
                  SecretMask.mask(diff.live()),
                  diff.changedBy())
              : diff);
    }
    return out;
  }

  /** Whether an environment variable of this name is masked. */
  public boolean secretName(String name) {
    return names.stream().anyMatch(p -> p.matcher(name).matches());
  }

  private boolean secretPath(String path) {
    if (path.startsWith(SWARM_ENV)) {
      String name = path.substring(SWARM_ENV.length());
      if (name.startsWith("[\"") && name.endsWith("\"]")) {
        name = name.substring(2, name.length() - 2);
      }
      return secretName(name);
    }
    if (path.startsWith("TaskTemplate.ContainerSpec.Env[\"")) {
      return secretName(path.substring(path.indexOf("[\"") + 2, path.length() - 2));
    }
    Matcher m = KUBERNETES_ENV.matcher(path);
    while (m.find()) {
      if (secretName(m.group(1))) {
        return true;
      }
    }
    return false;
  }

  /** A whole env map or env list (added or removed at once) holding a secret-looking entry. */
  private boolean holdsSecretEntry(Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.get("name") instanceof String name && map.containsKey("value") && secretName(name)) {
        return true;
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if ((e.getValue() instanceof String && secretName(String.valueOf(e.getKey())))
            || holdsSecretEntry(e.getValue())) {
          return true;
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        if (holdsSecretEntry(item)
            || (item instanceof String s
                && s.contains("=")
                && secretName(s.substring(0, s.indexOf('='))))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean holdsDecrypted(DesiredObject desired, Object value) {
    if (value == null || desired.maskedValues().isEmpty()) {
      return false;
    }
    String text = String.valueOf(value);
    for (String secret : desired.maskedValues()) {
      if (text.equals(secret)
          || (secret.length() >= MIN_CONTAINED_CHARS && text.contains(secret))) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String glob) {
    String regex =
        java.util.Arrays.stream(glob.strip().split("\\*", -1))
            .map(part -> part.isEmpty() ? "" : Pattern.quote(part))
            .collect(java.util.stream.Collectors.joining(".*"));
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  @Override
  public String toString() {
    return "ValueMask" + names.stream().map(Pattern::pattern).toList();
  }
}
