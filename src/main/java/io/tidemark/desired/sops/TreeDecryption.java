package io.tidemark.desired.sops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decrypts the values of one SOPS document, whatever its store: unwraps the data key with an age
 * identity, opens every encrypted value with its key path as additional data, and checks the MAC
 * (SHA-512 over the plain values in document order, encrypted with {@code lastmodified} as
 * additional data) before any value is handed out.
 */
final class TreeDecryption {

  /** Written first into the hash when {@code mac_only_encrypted} is set, as SOPS does. */
  private static final byte[] MAC_ONLY_ENCRYPTED_INIT =
      HexFormat.of().parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");

  /** One value of a document, in document order: its key path, stored value and line. */
  record Leaf(List<String> path, Object value, int line) {
    Leaf {
      path = List.copyOf(path);
    }
  }

  /** The plain values, one per leaf and in the same order, and the ones that were encrypted. */
  record Result(List<Object> values, Set<String> secrets) {}

  private TreeDecryption() {}

  static Result decrypt(
      String file, int metadataLine, SopsMetadata md, AgeKeys keys, List<Leaf> leaves)
      throws SopsException {
    byte[] key = dataKey(file, metadataLine, md, keys);
    MessageDigest hash = sha512();
    if (md.macOnlyEncrypted()) {
      hash.update(MAC_ONLY_ENCRYPTED_INIT);
    }
    List<Object> values = new ArrayList<>(leaves.size());
    Set<String> secrets = new LinkedHashSet<>();
    for (Leaf leaf : leaves) {
      boolean encrypted = md.rules().encrypted(leaf.path());
      Object plain = leaf.value();
      if (encrypted) {
        if (!(leaf.value() instanceof String text)) {
          throw new SopsException(
              file,
              leaf.line(),
              "value of " + String.join(".", leaf.path()) + " should be encrypted but is not");
        }
        try {
          plain = ValueCipher.decrypt(text, key, String.join(":", leaf.path()) + ":");
        } catch (ValueCipher.BadValue e) {
          throw new SopsException(
              file,
              leaf.line(),
              "value of " + String.join(".", leaf.path()) + " " + e.getMessage());
        }
        if (!(plain instanceof String s && s.isEmpty())) {
          secrets.add(MacBytes.text(plain));
        }
      }
      if (!md.macOnlyEncrypted() || encrypted) {
        hash.update(MacBytes.of(plain));
      }
      values.add(plain);
    }
    verifyMac(file, metadataLine, md, key, HexFormat.of().withUpperCase().formatHex(hash.digest()));
    return new Result(values, secrets);
  }

  private static void verifyMac(String file, int line, SopsMetadata md, byte[] key, String computed)
      throws SopsException {
    Object stored;
    try {
      stored = ValueCipher.decrypt(md.mac(), key, md.lastModified());
    } catch (ValueCipher.BadValue e) {
      throw new SopsException(
          file,
          line,
          "the sops MAC fails authentication: mac or lastmodified was changed after encryption");
    }
    if (!(stored instanceof String mac)
        || !MessageDigest.isEqual(
            mac.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
            computed.getBytes(StandardCharsets.US_ASCII))) {
      throw new SopsException(
          file,
          line,
          "MAC mismatch: the values are not those sops encrypted (one was changed, added, removed"
              + " or moved)");
    }
  }

  private static byte[] dataKey(String file, int line, SopsMetadata md, AgeKeys keys)
      throws SopsException {
    if (md.age().isEmpty()) {
      throw new SopsException(
          file,
          line,
          md.otherKeyTypes().isEmpty()
              ? "malformed sops metadata: no recipient holds the data key"
              : "encrypted for "
                  + String.join(", ", md.otherKeyTypes())
                  + " only, which Tidemark does not support yet; add an age recipient");
    }
    Optional<byte[]> key = keys.unwrap(md.age());
    if (key.isEmpty()) {
      List<String> recipients = md.age().stream().map(SopsMetadata.AgeStanza::recipient).toList();
      throw new SopsException(
          file,
          line,
          "no age identity held opens the data key; the file is encrypted for "
              + String.join(", ", recipients)
              + (md.otherKeyTypes().isEmpty()
                  ? ""
                  : " and " + String.join(", ", md.otherKeyTypes()) + " (not supported)")
              + (keys.size() == 0
                  ? " and no age key is configured (tidemark.sops.age-key-file)"
                  : ""));
    }
    return key.get();
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-512", e);
    }
  }
}
