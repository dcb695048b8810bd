package io.tidemark.desired.sops;

import static io.tidemark.desired.sops.SopsFixturesTest.decryptor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files our test encryptor writes have sops' layout and open with the decryptor, as sops' do. */
class SopsRoundTripTest {

  private static final String RECIPIENT =
      "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";

  @Test
  void aYamlManifestEncryptedLikeSopsOpensToItsPlainValues() throws Exception {
    String encrypted =
        new SopsTestEncryptor(List.of(RECIPIENT))
            .yaml(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
                    + "  password: hunter2-long\n  port: 5432\n",
                "^(data|stringData)$");

    assertThat(encrypted).contains("ENC[AES256_GCM,data:", "encrypted_regex: ^(data|stringData)$");
    assertThat(encrypted).doesNotContain("hunter2-long");
    SopsDecryptor.Plain plain =
        decryptor("age-key.txt").plain("db.yaml", encrypted.getBytes(StandardCharsets.UTF_8));
    assertThat(SopsFixturesTest.yaml(plain.content()).get("stringData"))
        .isEqualTo(Map.of("password", "hunter2-long", "port", 5432));
  }

  @Test
  void aDotenvAndABinaryFileOpenToTheirPlainContent() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MYSQL_PASSWORD", "pa55-word");
    env.put("greeting", "hello world");
    String dotenv = new SopsTestEncryptor(List.of(RECIPIENT)).dotenv(env);
    String binary = new SopsTestEncryptor(List.of(RECIPIENT)).binary("line1\nline2\n");

    assertThat(
            new String(
                decryptor("age-key.txt")
                    .plain("a.env", dotenv.getBytes(StandardCharsets.UTF_8))
                    .content(),
                StandardCharsets.UTF_8))
        .isEqualTo("MYSQL_PASSWORD=pa55-word\ngreeting=hello world\n");
    assertThat(
            decryptor("age-key.txt").plain("b", binary.getBytes(StandardCharsets.UTF_8)).content())
        .isEqualTo("line1\nline2\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFileWithTwoRecipientsOpensWithEitherKey() throws Exception {
    String twice =
        new SopsTestEncryptor(
                List.of(
                    "age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph", RECIPIENT))
            .binary("shared");

    for (String key : List.of("age-key.txt", "age-key-2.txt")) {
      assertThat(decryptor(key).plain("b", twice.getBytes(StandardCharsets.UTF_8)).content())
          .isEqualTo("shared".getBytes(StandardCharsets.UTF_8));
    }
  }
}
