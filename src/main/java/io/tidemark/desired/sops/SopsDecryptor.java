package io.tidemark.desired.sops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Opens the SOPS files of a revision in memory: a file is a SOPS document when it carries SOPS
 * metadata (a {@code sops} block with a MAC, or {@code sops_*} dotenv keys), whatever its name.
 * YAML, JSON, dotenv and binary stores are read; any other file is returned as it is. Plain text is
 * never written anywhere; the values that were encrypted are returned so that callers can mask
 * them.
 */
public final class SopsDecryptor {

  private final AgeKeys keys;

  public SopsDecryptor(AgeKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** A decryptor that holds no key: plain files pass, every SOPS file is refused. */
  public static SopsDecryptor withoutKeys() {
    return new SopsDecryptor(AgeKeys.none());
  }

  /** A file's content as the cluster should get it, and the plain values to mask. */
  public record Plain(byte[] content, Set<String> secrets, boolean decrypted) {
    public Plain {
      secrets = Set.copyOf(secrets);
    }
  }

  /**
   * The plain content of a file a stack or manifest refers to ({@code env_file}, {@code secrets:
   * file:}, {@code configs: file:}); the same bytes when the file has no SOPS metadata. A decrypted
   * YAML or JSON document is written back in its format without the {@code sops} block, a binary
   * file as its content.
   */
  public Plain plain(String file, byte[] bytes) throws SopsException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.contains("sops") || !text.contains("mac")) {
      return new Plain(bytes, Set.of(), false); // the cheap test that passes almost every file
    }
    if (text.stripLeading().startsWith("{")) {
      ObjectNode object = JsonSops.parse(bytes);
      if (object != null) {
        boolean binary =
            JsonSops.binary(object) && !file.toLowerCase(Locale.ROOT).endsWith(".json");
        TreeDecryption.Result result = JsonSops.decrypt(file, object, keys);
        byte[] content = binary ? JsonSops.binaryContent(object) : JsonSops.write(object);
        return new Plain(content, result.secrets(), true);
      }
    }
    if (DotenvSops.recognised(text)) {
      StringBuilder out = new StringBuilder();
      TreeDecryption.Result result = DotenvSops.decrypt(file, text, keys, out);
      return new Plain(DotenvSops.bytes(out), result.secrets(), true);
    }
    List<Node> documents = yamlDocuments(text);
    if (documents == null || YamlSops.metadataNode(documents) == null) {
      return new Plain(bytes, Set.of(), false);
    }
    Set<String> secrets = YamlSops.decrypt(file, documents, keys);
    return new Plain(writeYaml(documents), secrets, true);
  }

  /**
   * Decrypts YAML documents in place when the first holds a {@code sops} block, keeping every
   * node's line; returns the plain values that were encrypted, none when the file is no SOPS file.
   */
  public Set<String> decryptYaml(String file, List<Node> documents) throws SopsException {
    if (YamlSops.metadataNode(documents) == null) {
      return Set.of();
    }
    return YamlSops.decrypt(file, documents, keys);
  }

  private static List<Node> yamlDocuments(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(100);
    options.setAllowDuplicateKeys(false);
    List<Node> documents = new ArrayList<>();
    try {
      for (Node node : new Yaml(options).composeAll(new StringReader(text))) {
        if (node != null) {
          documents.add(node);
        }
      }
    } catch (YAMLException e) {
      return null; // not YAML: the file is passed on as it is
    }
    return documents;
  }

  private static byte[] writeYaml(List<Node> documents) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setExplicitStart(documents.size() > 1);
    StringWriter out = new StringWriter();
    Yaml yaml = new Yaml(options);
    for (Node document : documents) {
      yaml.serialize(document, out);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
