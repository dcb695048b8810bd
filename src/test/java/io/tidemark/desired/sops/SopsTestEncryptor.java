package io.tidemark.desired.sops;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes genuine SOPS files (the layout sops 3.9 writes) for tests and for the sample repository,
 * where no sops binary exists: YAML with an {@code encrypted_regex}, dotenv and binary stores, a
 * fresh data key for each file wrapped for every age recipient.
 */
public final class SopsTestEncryptor {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<String> recipients;
  private final byte[] key = new byte[32];
  private final String lastModified = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  private final MessageDigest mac;

  public SopsTestEncryptor(List<String> recipients) throws Exception {
    this.recipients = List.copyOf(recipients);
    RANDOM.nextBytes(key);
    mac = MessageDigest.getInstance("SHA-512");
  }

  private String encrypt(Object plain, List<String> path) throws Exception {
    mac.update(MacBytes.of(plain));
    return ValueCipher.encrypt(plain, key, String.join(":", path) + ":", RANDOM);
  }

  /** How a store writes a key type without recipients. */
  private enum Empty {
    /** YAML: {@code []}. */
    LIST,
    /** JSON: {@code null}. */
    NULL,
    /** dotenv: left out. */
    OMITTED
  }

  /** The {@code sops} block in the order sops 3.9 writes it. */
  private Map<String, Object> metadata(String ruleKey, String rule, Empty empty) throws Exception {
    Map<String, Object> md = new LinkedHashMap<>();
    for (String other : List.of("kms", "gcp_kms", "azure_kv", "hc_vault")) {
      md.put(other, empty == Empty.LIST ? new ArrayList<>() : null);
    }
    List<Object> age = new ArrayList<>();
    for (String recipient : recipients) {
      Map<String, Object> stanza = new LinkedHashMap<>();
      stanza.put("recipient", recipient);
      stanza.put("enc", wrap(recipient));
      age.add(stanza);
    }
    md.put("age", age);
    md.put("lastmodified", lastModified);
    String hex = HexFormat.of().withUpperCase().formatHex(mac.digest());
    md.put("mac", ValueCipher.encrypt(hex, key, lastModified, RANDOM));
    md.put("pgp", empty == Empty.LIST ? new ArrayList<>() : null);
    md.put(ruleKey, rule);
    md.put("version", "3.9.0");
    if (empty == Empty.OMITTED) {
      md.values().removeIf(java.util.Objects::isNull);
    }
    return md;
  }

  private String wrap(String recipient) throws Exception {
    RecipientStanzaWriter writer =
        X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (WritableByteChannel channel =
        new ArmoredEncryptingChannelFactory()
            .newEncryptingChannel(Channels.newChannel(out), List.of(writer))) {
      channel.write(ByteBuffer.wrap(key));
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** A binary-store file holding {@code content}, as JSON indented with tabs like sops'. */
  public String binary(String content) throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("data", encrypt(content, List.of("data")));
    doc.put("sops", metadata("unencrypted_suffix", "_unencrypted", Empty.NULL));
    com.fasterxml.jackson.core.util.DefaultIndenter tabs =
        new com.fasterxml.jackson.core.util.DefaultIndenter("\t", "\n");
    com.fasterxml.jackson.core.util.DefaultPrettyPrinter printer =
        new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
            .withObjectIndenter(tabs)
            .withArrayIndenter(tabs)
            .withSeparators(
                com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(
                        com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .writer(printer)
        .writeValueAsString(doc);
  }

  /** A dotenv file with every value encrypted. */
  public String dotenv(Map<String, String> entries) throws Exception {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      out.append(e.getKey()).append('=').append(encrypt(e.getValue(), List.of(e.getKey())));
      out.append('\n');
    }
    Map<String, Object> md = metadata("unencrypted_suffix", "_unencrypted", Empty.OMITTED);
    @SuppressWarnings("unchecked")
    List<Map<String, String>> age = (List<Map<String, String>>) md.get("age");
    for (int i = 0; i < age.size(); i++) {
      for (String field : List.of("enc", "recipient")) {
        out.append("sops_age__list_").append(i).append("__map_").append(field).append('=');
        out.append(age.get(i).get(field).replace("\n", "\\n")).append('\n');
      }
    }
    for (String k : List.of("lastmodified", "mac", "unencrypted_suffix", "version")) {
      out.append("sops_").append(k).append('=').append(md.get(k)).append('\n');
    }
    return out.toString();
  }

  /** A YAML file whose values under keys matching {@code encryptedRegex} are encrypted. */
  public String yaml(String plainYaml, String encryptedRegex) throws Exception {
    return yamlDocuments(plainYaml, encryptedRegex);
  }

  /**
   * A YAML file of one or more documents ({@code ---}), encrypted as sops does it: one data key and
   * one MAC over the values of every document, and the same {@code sops} block in each document.
   * Comments are dropped (they are no part of the MAC).
   */
  public String yamlDocuments(String plainYaml, String encryptedRegex) throws Exception {
    EncryptionRules rules =
        new EncryptionRules("", "", null, java.util.regex.Pattern.compile(encryptedRegex));
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(plainYaml)) {
      if (doc != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) walk(doc, new ArrayList<>(), rules);
        documents.add(out);
      }
    }
    Map<String, Object> metadata = metadata("encrypted_regex", encryptedRegex, Empty.LIST);
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setSplitLines(false);
    options.setExplicitStart(documents.size() > 1);
    for (Map<String, Object> document : documents) {
      document.put("sops", metadata); // each document is written on its own: no YAML aliases
    }
    return new Yaml(options).dumpAll(documents.iterator());
  }

  private Object walk(Object value, List<String> path, EncryptionRules rules) throws Exception {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        List<String> child = new ArrayList<>(path);
        child.add(String.valueOf(e.getKey()));
        out.put(String.valueOf(e.getKey()), walk(e.getValue(), child, rules));
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        out.add(walk(item, path, rules));
      }
      return out;
    }
    if (value == null) {
      return null;
    }
    Object plain = value instanceof Integer i ? Long.valueOf(i) : value;
    if (rules.encrypted(path)) {
      return encrypt(plain, path);
    }
    mac.update(MacBytes.of(plain));
    return value;
  }
}
