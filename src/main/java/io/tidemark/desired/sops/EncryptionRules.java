package io.tidemark.desired.sops;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which values of a SOPS document are encrypted, from its metadata: {@code unencrypted_suffix},
 * {@code encrypted_suffix}, {@code unencrypted_regex} and {@code encrypted_regex}, each applied to
 * every key of a value's path in the order SOPS applies them. Regexes match anywhere in a key, as
 * Go's {@code regexp.Match} does.
 */
public record EncryptionRules(
    String unencryptedSuffix,
    String encryptedSuffix,
    Pattern unencryptedRegex,
    Pattern encryptedRegex) {

  /** SOPS' default when a file names no rule. */
  public static final String DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";

  public boolean encrypted(List<String> path) {
    boolean encrypted = true;
    if (!unencryptedSuffix.isEmpty()
        && path.stream().anyMatch(k -> k.endsWith(unencryptedSuffix))) {
      encrypted = false;
    }
    if (!encryptedSuffix.isEmpty()) {
      encrypted = path.stream().anyMatch(k -> k.endsWith(encryptedSuffix));
    }
    if (unencryptedRegex != null
        && path.stream().anyMatch(k -> unencryptedRegex.matcher(k).find())) {
      encrypted = false;
    }
    if (encryptedRegex != null) {
      encrypted = path.stream().anyMatch(k -> encryptedRegex.matcher(k).find());
    }
    return encrypted;
  }
}
