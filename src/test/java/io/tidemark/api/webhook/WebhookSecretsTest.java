package io.tidemark.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.config.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSecretsTest {

  @TempDir Path dir;

  private static TidemarkConfig.Webhook webhook(String secret, Path file) {
    return new TidemarkConfig.Webhook() {
      @Override
      public Optional<String> secret() {
        return Optional.ofNullable(secret);
      }

      @Override
      public Optional<Path> secretFile() {
        return Optional.ofNullable(file);
      }
    };
  }

  @Test
  void readsASecretFileOnceWithoutItsTrailingNewline() throws Exception {
    Path file = Files.writeString(dir.resolve("github.secret"), "s3cr3t-from-file\r\n");
    Map<Provider, WebhookSecret> secrets =
        WebhookSecrets.load(Map.of("github", webhook(null, file)));
    Files.delete(file);
    // The secret was read at load: the file is gone, the secret still verifies.
    GitLabTokenVerifier sameSecretAsToken = new GitLabTokenVerifier(secrets.get(Provider.GITHUB));
    assertThat(
            sameSecretAsToken.verifies(
                Fixtures.request(new byte[0], "X-Gitlab-Token", "s3cr3t-from-file")))
        .isTrue();
  }

  @Test
  void leavesProvidersWithoutSecretAndUnknownNamesOff() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.secret"), "\n");
    Map<String, TidemarkConfig.Webhook> configured = new LinkedHashMap<>();
    configured.put("gitlab", webhook(null, null));
    configured.put("gitea", webhook(null, empty));
    configured.put("bitbucket", webhook("   ", null));
    configured.put("sourcehut", webhook("some-secret", null));
    configured.put("generic", webhook("generic-secret", null));
    assertThat(WebhookSecrets.load(configured)).containsOnlyKeys(Provider.GENERIC);
  }

  @Test
  void refusesBothASecretAndASecretFile() throws Exception {
    Path file = Files.writeString(dir.resolve("both.secret"), "from-file");
    assertThatThrownBy(
            () -> WebhookSecrets.load(Map.of("gitea", webhook("inline-value-xyz", file))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not both")
        .hasMessageNotContaining("inline-value-xyz")
        .hasMessageNotContaining("from-file");
  }

  @Test
  void failsOnASecretFileThatCannotBeRead() {
    Path missing = dir.resolve("missing.secret");
    assertThatThrownBy(() -> WebhookSecrets.load(Map.of("github", webhook(null, missing))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tidemark.webhooks.github.secret-file");
  }

  @Test
  void trimsOnlyTrailingLineBreaks() {
    assertThat(WebhookSecrets.withoutTrailingNewlines(" a b \n\r\n")).isEqualTo(" a b ");
    assertThat(WebhookSecrets.withoutTrailingNewlines("\nab")).isEqualTo("\nab");
  }
}
