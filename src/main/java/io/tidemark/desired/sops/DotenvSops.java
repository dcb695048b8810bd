package io.tidemark.desired.sops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SOPS' dotenv store: {@code KEY=VALUE} lines, the metadata flattened into {@code sops_*} keys with
 * newlines written {@code \n}; comment lines are dropped. The plain file has the same keys in the
 * same order.
 */
final class DotenvSops {

  private static final String PREFIX = "sops_";

  private DotenvSops() {}

  /** Whether the text has the flattened metadata of a SOPS dotenv file. */
  static boolean recognised(String text) {
    return text.lines().anyMatch(l -> l.startsWith("sops_mac=") || l.startsWith("sops_version="));
  }

  /** The plain file and the values that were encrypted. */
  static TreeDecryption.Result decrypt(String file, String text, AgeKeys keys, StringBuilder out)
      throws SopsException {
    Map<String, String> flat = new LinkedHashMap<>();
    List<TreeDecryption.Leaf> leaves = new ArrayList<>();
    int metadataLine = 0;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new SopsException(file, i + 1, "not a KEY=VALUE line of a SOPS dotenv file");
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.startsWith(PREFIX)) {
        flat.put(key.substring(PREFIX.length()), value);
        metadataLine = metadataLine == 0 ? i + 1 : metadataLine;
      } else {
        leaves.add(new TreeDecryption.Leaf(List.of(key), value, i + 1));
      }
    }
    Map<String, Object> block;
    try {
      block = SopsMetadata.unflatten(flat);
    } catch (RuntimeException e) {
      throw new SopsException(
          file, metadataLine, "malformed sops metadata: the sops_ keys do not form a tree");
    }
    SopsMetadata md = SopsMetadata.parse(block, file, metadataLine);
    TreeDecryption.Result result = TreeDecryption.decrypt(file, metadataLine, md, keys, leaves);
    for (int i = 0; i < leaves.size(); i++) {
      out.append(leaves.get(i).path().get(0))
          .append('=')
          .append(MacBytes.text(result.values().get(i)).replace("\n", "\\n"))
          .append('\n');
    }
    return result;
  }

  static byte[] bytes(StringBuilder out) {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
