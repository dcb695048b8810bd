package io.tidemark.desired.sops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code sops} block of a file: the encrypted MAC and the timestamp it is bound to, the
 * encryption rules, the age stanzas that hold the data key, and the other key types present (which
 * Tidemark names but cannot use).
 */
public record SopsMetadata(
    String lastModified,
    String mac,
    String version,
    EncryptionRules rules,
    boolean macOnlyEncrypted,
    List<AgeStanza> age,
    List<String> otherKeyTypes) {

  /** One age recipient and the data key encrypted to it (an armored age file). */
  public record AgeStanza(String recipient, String enc) {}

  /** Key types SOPS knows besides age, as its metadata names them, with a name for people. */
  private static final Map<String, String> OTHER_KEY_TYPES =
      Map.of(
          "pgp", "PGP",
          "kms", "AWS KMS",
          "gcp_kms", "GCP KMS",
          "azure_kv", "Azure Key Vault",
          "hc_vault", "HashiCorp Vault",
          "hckms", "HuaweiCloud KMS");

  public SopsMetadata {
    age = List.copyOf(age);
    otherKeyTypes = List.copyOf(otherKeyTypes);
  }

  /** Reads the block as a plain tree (maps, lists, strings); malformed blocks say what is wrong. */
  public static SopsMetadata parse(Object block, String file, int line) throws SopsException {
    if (!(block instanceof Map<?, ?> map)) {
      throw new SopsException(file, line, "malformed sops metadata: 'sops' is not a mapping");
    }
    String mac = text(map, "mac", file, line, true);
    String lastModified = text(map, "lastmodified", file, line, true);
    String version = text(map, "version", file, line, false);
    if (text(map, "unencrypted_comment_regex", file, line, false).length()
            + text(map, "encrypted_comment_regex", file, line, false).length()
        > 0) {
      throw new SopsException(
          file,
          line,
          "sops metadata uses unencrypted_comment_regex or encrypted_comment_regex, which Tidemark"
              + " does not support yet");
    }
    EncryptionRules rules = rules(map, file, line);
    boolean macOnlyEncrypted =
        "true".equalsIgnoreCase(String.valueOf(map.get("mac_only_encrypted")));
    List<AgeStanza> age = new ArrayList<>();
    List<String> others = new ArrayList<>();
    List<Map<?, ?>> groups = new ArrayList<>();
    groups.add(map);
    if (map.get("key_groups") instanceof List<?> keyGroups && !keyGroups.isEmpty()) {
      if (keyGroups.size() > 1) {
        throw new SopsException(
            file,
            line,
            "sops metadata splits the data key into "
                + keyGroups.size()
                + " key groups (Shamir), which Tidemark does not support yet");
      }
      if (keyGroups.get(0) instanceof Map<?, ?> group) {
        groups.add(group);
      }
    }
    for (Map<?, ?> group : groups) {
      age.addAll(ageStanzas(group.get("age"), file, line));
      for (Map.Entry<String, String> type : OTHER_KEY_TYPES.entrySet()) {
        if (group.get(type.getKey()) instanceof List<?> keys
            && !keys.isEmpty()
            && !others.contains(type.getValue())) {
          others.add(type.getValue());
        }
      }
    }
    others.sort(String::compareTo);
    return new SopsMetadata(lastModified, mac, version, rules, macOnlyEncrypted, age, others);
  }

  private static EncryptionRules rules(Map<?, ?> map, String file, int line) throws SopsException {
    String unencryptedSuffix = text(map, "unencrypted_suffix", file, line, false);
    String encryptedSuffix = text(map, "encrypted_suffix", file, line, false);
    String unencryptedRegex = text(map, "unencrypted_regex", file, line, false);
    String encryptedRegex = text(map, "encrypted_regex", file, line, false);
    int set =
        (unencryptedSuffix.isEmpty() ? 0 : 1)
            + (encryptedSuffix.isEmpty() ? 0 : 1)
            + (unencryptedRegex.isEmpty() ? 0 : 1)
            + (encryptedRegex.isEmpty() ? 0 : 1);
    if (set > 1) {
      throw new SopsException(
          file,
          line,
          "malformed sops metadata: only one of unencrypted_suffix, encrypted_suffix,"
              + " unencrypted_regex and encrypted_regex may be set");
    }
    if (set == 0) {
      unencryptedSuffix = EncryptionRules.DEFAULT_UNENCRYPTED_SUFFIX;
    }
    return new EncryptionRules(
        unencryptedSuffix,
        encryptedSuffix,
        regex(unencryptedRegex, "unencrypted_regex", file, line),
        regex(encryptedRegex, "encrypted_regex", file, line));
  }

  private static Pattern regex(String regex, String key, String file, int line)
      throws SopsException {
    if (regex.isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new SopsException(file, line, "malformed sops metadata: " + key + " is no regex");
    }
  }

  private static List<AgeStanza> ageStanzas(Object value, String file, int line)
      throws SopsException {
    List<AgeStanza> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> list)) {
      throw new SopsException(file, line, "malformed sops metadata: 'age' is not a list");
    }
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> stanza)
          || !(stanza.get("recipient") instanceof String recipient)
          || !(stanza.get("enc") instanceof String enc)) {
        throw new SopsException(
            file, line, "malformed sops metadata: an age entry needs a recipient and an enc");
      }
      out.add(new AgeStanza(recipient, enc));
    }
    return out;
  }

  private static String text(Map<?, ?> map, String key, String file, int line, boolean required)
      throws SopsException {
    Object value = map.get(key);
    if (value == null || (value instanceof String s && s.isEmpty())) {
      if (required) {
        throw new SopsException(file, line, "malformed sops metadata: '" + key + "' is missing");
      }
      return "";
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw new SopsException(file, line, "malformed sops metadata: '" + key + "' is not a scalar");
    }
    return String.valueOf(value);
  }

  /**
   * Rebuilds the block from the flat {@code sops_*} keys of a dotenv file ({@code
   * sops_age__list_0__map_enc}), where newlines are written {@code \n}.
   */
  public static Map<String, Object> unflatten(Map<String, String> flat) {
    Map<String, Object> root = new LinkedHashMap<>();
    flat.forEach(
        (key, value) -> {
          String[] parts = key.split("__");
          Object container = root;
          for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            Object child = last ? value.replace("\\n", "\n") : null;
            container = step(container, parts[i], last ? child : nextContainer(parts[i + 1]));
          }
        });
    return root;
  }

  private static Object nextContainer(String next) {
    return next.startsWith("list_") ? new ArrayList<>() : new LinkedHashMap<String, Object>();
  }

  @SuppressWarnings("unchecked")
  private static Object step(Object container, String part, Object fresh) {
    if (container instanceof List<?> raw && part.startsWith("list_")) {
      List<Object> list = (List<Object>) raw;
      int index = Integer.parseInt(part.substring("list_".length()));
      while (list.size() <= index) {
        list.add(null);
      }
      if (list.get(index) == null || !(fresh instanceof Map<?, ?> || fresh instanceof List<?>)) {
        list.set(index, fresh);
      }
      return list.get(index);
    }
    Map<String, Object> map = (Map<String, Object>) container;
    String key = part.startsWith("map_") ? part.substring("map_".length()) : part;
    if (!map.containsKey(key) || !(fresh instanceof Map<?, ?> || fresh instanceof List<?>)) {
      map.put(key, fresh);
    }
    return map.get(key);
  }
}
