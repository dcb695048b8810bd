package io.tidemark.sample;

import io.tidemark.desired.sops.SopsTestEncryptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code sops -e -i FILE...} where no sops binary exists: picks the creation rule of the {@code
 * .sops.yaml} in {@code ROOT} whose {@code path_regex} matches each file's path relative to {@code
 * ROOT}, and encrypts the file in place for that rule's age recipients (YAML with the rule's {@code
 * encrypted_regex}, dotenv, or binary store). Leading comment lines of a YAML file stay as they
 * are, as sops keeps them. It is how the sample repository's secrets were encrypted:
 *
 * <pre>
 * mvn -q -o test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.tidemark.sample.SopsEncryptInPlace -Dexec.args="sample-repo FILE..."
 * </pre>
 */
public final class SopsEncryptInPlace {

  private SopsEncryptInPlace() {}

  /** One creation rule of {@code .sops.yaml}. */
  record Rule(Pattern path, String encryptedRegex, List<String> age) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    List<Rule> rules = rules(root.resolve(".sops.yaml"));
    for (int i = 1; i < args.length; i++) {
      Path file = Path.of(args[i]);
      String relative =
          root.toAbsolutePath().normalize().relativize(file.toAbsolutePath()).toString();
      Rule rule =
          rules.stream()
              .filter(r -> r.path().matcher(relative).find())
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no creation rule for " + relative));
      String plain = Files.readString(file, StandardCharsets.UTF_8);
      if (plain.contains("sops_mac=") || plain.contains("\"mac\":") || plain.contains("  mac: ")) {
        throw new IllegalStateException(relative + " is already encrypted");
      }
      Files.writeString(file, encrypt(relative, plain, rule), StandardCharsets.UTF_8);
      System.out.println("encrypted " + relative + " for " + rule.age());
    }
  }

  static String encrypt(String name, String plain, Rule rule) throws Exception {
    SopsTestEncryptor encryptor = new SopsTestEncryptor(rule.age());
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      StringBuilder comments = new StringBuilder();
      for (String line : plain.lines().toList()) {
        if (!line.startsWith("#")) {
          break;
        }
        comments.append(line).append('\n');
      }
      String regex = rule.encryptedRegex() == null ? "" : rule.encryptedRegex();
      return comments + encryptor.yamlDocuments(plain, regex);
    }
    if (name.endsWith(".env")) {
      Map<String, String> entries = new LinkedHashMap<>();
      for (String line : plain.lines().toList()) {
        int eq = line.indexOf('=');
        if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
          entries.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      return encryptor.dotenv(entries);
    }
    return encryptor.binary(plain);
  }

  @SuppressWarnings("unchecked")
  static List<Rule> rules(Path sopsYaml) throws Exception {
    Map<String, Object> config =
        new Yaml().load(Files.readString(sopsYaml, StandardCharsets.UTF_8));
    List<Rule> rules = new ArrayList<>();
    for (Map<String, Object> rule : (List<Map<String, Object>>) config.get("creation_rules")) {
      List<String> age =
          List.of(String.valueOf(rule.get("age")).split(",")).stream().map(String::strip).toList();
      rules.add(
          new Rule(
              Pattern.compile(String.valueOf(rule.getOrDefault("path_regex", ""))),
              (String) rule.get("encrypted_regex"),
              age));
    }
    return rules;
  }
}
