package io.tidemark.desired.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Files encrypted by the real sops 3.9.0 and 3.10.2 open to exactly their plain values. */
class SopsFixturesTest {

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = SopsFixturesTest.class.getResourceAsStream("/fixtures/sops/" + name)) {
      return in.readAllBytes();
    }
  }

  static SopsDecryptor decryptor(String keyFile) throws IOException {
    return new SopsDecryptor(
        AgeKeys.parse(new String(fixture(keyFile), StandardCharsets.UTF_8), keyFile));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(byte[] content) {
    return (Map<String, Object>) new Yaml().load(new String(content, StandardCharsets.UTF_8));
  }

  @Test
  void decryptsTheYamlSecretWithEncryptedRegexToItsPlainValue() throws Exception {
    SopsDecryptor.Plain plain =
        decryptor("age-key.txt").plain("secret.yaml", fixture("secret.yaml"));

    Map<String, Object> doc = yaml(plain.content());
    assertThat(doc.get("stringData")).isEqualTo(Map.of("key", "value"));
    assertThat(doc).containsEntry("kind", "Secret").doesNotContainKey("sops");
    assertThat(doc.get("metadata")).isEqualTo(Map.of("name", "age"));
    assertThat(plain.secrets()).containsExactly("value");
    assertThat(plain.decrypted()).isTrue();
  }

  @Test
  void decryptsTheYamlFileOfSops310WithItsOwnKey() throws Exception {
    SopsDecryptor.Plain plain =
        decryptor("age-key-2.txt").plain("secret-2.yaml", fixture("secret-2.yaml"));

    assertThat(yaml(plain.content()).get("stringData")).isEqualTo(Map.of("key", "global-value"));
    assertThat(plain.secrets()).containsExactly("global-value");
  }

  @Test
  void decryptsTheDotenvFileToItsPlainEntries() throws Exception {
    SopsDecryptor.Plain plain = decryptor("age-key.txt").plain("env.env", fixture("env.env"));

    assertThat(new String(plain.content(), StandardCharsets.UTF_8)).isEqualTo("key=value\n");
    assertThat(plain.secrets()).containsExactly("value");
  }

  @Test
  void decryptsTheBinaryFileToItsExactContent() throws Exception {
    SopsDecryptor.Plain plain = decryptor("age-key.txt").plain("file.txt", fixture("file.txt"));

    // The fixture README says "value\n", but its ciphertext (data:QNbPAYY=) is 5 bytes and the
    // MAC sops wrote authenticates exactly these 5: the file holds "value" without a newline.
    assertThat(plain.content()).isEqualTo("value".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesTheSops310FileWithTheOtherKeyNamingItsRecipient() {
    assertThatThrownBy(
            () -> decryptor("age-key.txt").plain("secret-2.yaml", fixture("secret-2.yaml")))
        .isInstanceOf(SopsException.class)
        .hasMessage(
            "secret-2.yaml:9: no age identity held opens the data key; the file is encrypted for"
                + " age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph");
  }

  @Test
  void passesAFileWithoutSopsMetadataUnchanged() throws Exception {
    byte[] plain = "password: sops-mac is only a word here\n".getBytes(StandardCharsets.UTF_8);

    SopsDecryptor.Plain result = SopsDecryptor.withoutKeys().plain("plain.yaml", plain);

    assertThat(result.content()).isSameAs(plain);
    assertThat(result.decrypted()).isFalse();
  }
}
