package io.tidemark.desired.sops;

import static io.tidemark.desired.sops.SopsFixturesTest.decryptor;
import static io.tidemark.desired.sops.SopsFixturesTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every kind of bad SOPS file is refused with its file, line and reason, and no plain value. */
class SopsBadInputTest {

  private static byte[] edited(String fixture, String from, String to) throws Exception {
    String text = new String(fixture(fixture), StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void refusesAFileWhenNoHeldKeyOpensAnyRecipient() {
    assertThatThrownBy(() -> SopsDecryptor.withoutKeys().plain("env.env", fixture("env.env")))
        .isInstanceOf(SopsException.class)
        .hasMessage(
            "env.env:2: no age identity held opens the data key; the file is encrypted for"
                + " age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29 and no age key"
                + " is configured (tidemark.sops.age-key-file)");
  }

  @Test
  void refusesAFileWhoseRecipientsTheHeldKeyIsNotOneOfNamingThem() {
    assertThatThrownBy(
            () -> decryptor("age-key-2.txt").plain("secret.yaml", fixture("secret.yaml")))
        .isInstanceOf(SopsException.class)
        .hasMessage(
            "secret.yaml:7: no age identity held opens the data key; the file is encrypted for"
                + " age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29");
  }

  @Test
  void refusesATamperedValueNamingItsPathAndLine() throws Exception {
    byte[] tampered = edited("secret.yaml", "data:mHeXsmQ=", "data:nHeXsmQ=");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("secret.yaml", tampered))
        .isInstanceOf(SopsException.class)
        .hasMessage(
            "secret.yaml:6: value of stringData.key fails authentication: it was changed after"
                + " encryption, or moved to another key path");
  }

  @Test
  void refusesAValueMovedToAnotherKeyPath() throws Exception {
    byte[] moved = edited("secret.yaml", "  key: ENC", "  other: ENC");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("secret.yaml", moved))
        .hasMessageStartingWith("secret.yaml:6: value of stringData.other fails authentication");
  }

  @Test
  void refusesATamperedMac() throws Exception {
    byte[] tampered =
        edited("secret.yaml", "mac: ENC[AES256_GCM,data:vmrF", "mac: ENC[AES256_GCM,data:vmrG");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("secret.yaml", tampered))
        .hasMessage(
            "secret.yaml:7: the sops MAC fails authentication: mac or lastmodified was changed"
                + " after encryption");
  }

  @Test
  void refusesAChangedUnencryptedValueByItsMac() throws Exception {
    byte[] changed = edited("secret.yaml", "name: age", "name: other");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("secret.yaml", changed))
        .hasMessage(
            "secret.yaml:7: MAC mismatch: the values are not those sops encrypted (one was"
                + " changed, added, removed or moved)");
  }

  @Test
  void refusesAChangedLastModifiedTimestamp() throws Exception {
    byte[] changed =
        edited(
            "env.env",
            "sops_lastmodified=2024-11-12T13:33:42Z",
            "sops_lastmodified=2024-11-12T13:33:43Z");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("env.env", changed))
        .hasMessageContaining("the sops MAC fails authentication");
  }

  @Test
  void refusesAFileEncryptedOnlyForPgpSayingSo() throws Exception {
    String text = new String(fixture("secret.yaml"), StandardCharsets.UTF_8);
    String withoutAge =
        text.substring(0, text.indexOf("  age:\n"))
            + text.substring(text.indexOf("  lastmodified:"))
                .replace(
                    "  pgp: []",
                    "  pgp:\n    - fp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4\n"
                        + "      created_at: \"2024-11-12T13:33:42Z\"\n      enc: x");

    assertThatThrownBy(
            () ->
                decryptor("age-key.txt")
                    .plain("secret.yaml", withoutAge.getBytes(StandardCharsets.UTF_8)))
        .hasMessage(
            "secret.yaml:7: encrypted for PGP only, which Tidemark does not support yet; add an"
                + " age recipient");
  }

  @Test
  void refusesAFileEncryptedOnlyForVaultSayingSo() throws Exception {
    String text = new String(fixture("secret.yaml"), StandardCharsets.UTF_8);
    String vaultOnly =
        text.substring(0, text.indexOf("  age:\n"))
                .replace(
                    "  hc_vault: []\n",
                    "  hc_vault:\n    - vault_address: https://vault.example.com:8200\n"
                        + "      engine_path: sops\n      key_name: platform\n"
                        + "      created_at: \"2024-11-12T13:33:42Z\"\n      enc: vault:v1:x\n")
            + text.substring(text.indexOf("  lastmodified:"));

    assertThatThrownBy(
            () ->
                decryptor("age-key.txt")
                    .plain("secret.yaml", vaultOnly.getBytes(StandardCharsets.UTF_8)))
        .hasMessage(
            "secret.yaml:7: encrypted for HashiCorp Vault only, which Tidemark does not support"
                + " yet; add an age recipient");
  }

  @Test
  void refusesAFileWithAKmsKeyAndAForeignAgeRecipientNamingBoth() throws Exception {
    byte[] withKms =
        edited(
            "secret-2.yaml",
            "  lastmodified:",
            "  kms:\n    - arn: arn:aws:kms:eu-west-1:1:key/x\n      enc: x\n  lastmodified:");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("secret-2.yaml", withKms))
        .hasMessageEndingWith(
            "encrypted for age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph and AWS"
                + " KMS (not supported)");
  }

  @Test
  void refusesMalformedMetadataSayingWhatIsMissing() throws Exception {
    byte[] noDate = edited("secret.yaml", "  lastmodified: \"2024-11-12T13:33:42Z\"\n", "");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("secret.yaml", noDate))
        .hasMessage("secret.yaml:7: malformed sops metadata: 'lastmodified' is missing");
  }

  @Test
  void refusesAValueThatShouldBeEncryptedButIsPlain() throws Exception {
    byte[] plain =
        edited(
            "env.env",
            "key=ENC[AES256_GCM,data:HfbmmMU=,iv:nWWqqIzzutZJBzu5PbaTPBsqvszaz2/+58mYOK7hj9Q=,tag:b+VcateAccwdb7x2dmYDrQ==,type:str]",
            "key=plain-text");

    assertThatThrownBy(() -> decryptor("age-key.txt").plain("env.env", plain))
        .hasMessage("env.env:1: value of key is not in SOPS' ENC[AES256_GCM,...] format")
        .hasMessageNotContaining("plain-text");
  }
}
