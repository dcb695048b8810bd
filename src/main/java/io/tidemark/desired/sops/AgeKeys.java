package io.tidemark.desired.sops;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The age X25519 identities Tidemark holds, in the format {@code age-keygen} writes (comment lines,
 * one {@code AGE-SECRET-KEY-1...} per line), and the unwrapping of a SOPS data key with them. The
 * identities never appear in messages.
 */
public final class AgeKeys {

  private static final String PREFIX = "AGE-SECRET-KEY-1";
  private static final int DATA_KEY_BYTES = 32;

  private final List<RecipientStanzaReader> readers;

  private AgeKeys(List<RecipientStanzaReader> readers) {
    this.readers = List.copyOf(readers);
  }

  /** No identity: every SOPS file is refused, with its recipients named. */
  public static AgeKeys none() {
    return new AgeKeys(List.of());
  }

  /** The identities of {@code text}; {@code origin} names it in errors (never its content). */
  public static AgeKeys parse(String text, String origin) {
    List<RecipientStanzaReader> readers = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!line.toUpperCase(java.util.Locale.ROOT).startsWith(PREFIX)) {
        throw new IllegalArgumentException(
            origin + " line " + (i + 1) + " is not an age identity (AGE-SECRET-KEY-1...)");
      }
      try {
        readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(line));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalArgumentException(
            origin + " line " + (i + 1) + " is not a valid age X25519 identity");
      }
    }
    return new AgeKeys(readers);
  }

  /**
   * The identities sops itself would use: {@code keyFile} (Tidemark's setting), then {@code
   * SOPS_AGE_KEY_FILE} and {@code SOPS_AGE_KEY} from {@code environment}; all of them together.
   */
  public static AgeKeys load(Optional<Path> keyFile, Map<String, String> environment)
      throws IOException {
    List<RecipientStanzaReader> readers = new ArrayList<>();
    if (keyFile.isPresent()) {
      readers.addAll(read(keyFile.get()).readers);
    }
    String envFile = environment.get("SOPS_AGE_KEY_FILE");
    if (envFile != null && !envFile.isBlank()) {
      readers.addAll(read(Path.of(envFile)).readers);
    }
    String envKey = environment.get("SOPS_AGE_KEY");
    if (envKey != null && !envKey.isBlank()) {
      readers.addAll(parse(envKey, "SOPS_AGE_KEY").readers);
    }
    return new AgeKeys(readers);
  }

  private static AgeKeys read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  public int size() {
    return readers.size();
  }

  /** The data key from the first stanza one of the identities opens; empty when none does. */
  Optional<byte[]> unwrap(List<SopsMetadata.AgeStanza> stanzas) {
    for (SopsMetadata.AgeStanza stanza : stanzas) {
      for (RecipientStanzaReader reader : readers) {
        Optional<byte[]> key = open(stanza.enc(), reader);
        if (key.isPresent()) {
          return key;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<byte[]> open(String armored, RecipientStanzaReader reader) {
    ArmoredDecryptingChannelFactory factory = new ArmoredDecryptingChannelFactory();
    InputStream in = new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII));
    try (ReadableByteChannel channel =
        factory.newDecryptingChannel(Channels.newChannel(in), List.of(reader))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Channels.newInputStream(channel).transferTo(out);
      byte[] key = out.toByteArray();
      return key.length == DATA_KEY_BYTES ? Optional.of(key) : Optional.empty();
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return Optional.empty(); // not this identity's stanza: try the next
    }
  }
}
