package io.tidemark.sample;

import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample repository's public demo age key, which its SOPS files are encrypted for. */
final class DemoKey {

  /** The demo key's public half, the recipient of every SOPS file of the sample. */
  static final String RECIPIENT = "age19mprl0xnqv950mtm9edukrmc3hygud323jgfdwa6ucj3ecgq73xqnrsffl";

  private DemoKey() {}

  static Path file() {
    return RepoPaths.root().resolve("sample-repo/demo-age-key.txt");
  }

  /** A decryptor holding the demo key, as the quick start's Tidemark holds it. */
  static SopsDecryptor decryptor() {
    try {
      return new SopsDecryptor(
          AgeKeys.parse(Files.readString(file(), StandardCharsets.UTF_8), file().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
