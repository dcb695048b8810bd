package io.tidemark.api.webhook;

import io.tidemark.config.TidemarkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads each provider's secret from {@code tidemark.webhooks.<provider>.secret} or {@code
 * .secret-file} once, at start; a provider without a non-blank secret stays off.
 */
final class WebhookSecrets {

  private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

  private WebhookSecrets() {}

  /**
   * The secret of every provider that has one.
   *
   * @throws IllegalStateException when a provider sets both keys or its secret file cannot be read
   */
  static Map<Provider, WebhookSecret> load(Map<String, TidemarkConfig.Webhook> configured) {
    Map<Provider, WebhookSecret> secrets = new EnumMap<>(Provider.class);
    configured.forEach(
        (name, webhook) -> {
          Optional<Provider> provider = Provider.byName(name);
          if (provider.isEmpty()) {
            LOG.warnf(
                "tidemark.webhooks.%s: no such provider (known: %s); ignored",
                name, Arrays.toString(Provider.values()).toLowerCase(Locale.ROOT));
            return;
          }
          Optional<String> value = valueOf(name, webhook.secret(), webhook.secretFile());
          if (value.isPresent() && !value.get().isBlank()) {
            secrets.put(provider.get(), WebhookSecret.of(value.get()));
          } else {
            LOG.warnf("tidemark.webhooks.%s: the secret is empty; the webhook stays off", name);
          }
        });
    return secrets;
  }

  private static Optional<String> valueOf(
      String name, Optional<String> secret, Optional<Path> secretFile) {
    if (secret.isPresent() && secretFile.isPresent()) {
      throw new IllegalStateException(
          "tidemark.webhooks." + name + ": set secret or secret-file, not both");
    }
    if (secretFile.isPresent()) {
      try {
        return Optional.of(withoutTrailingNewlines(Files.readString(secretFile.get())));
      } catch (IOException e) {
        throw new IllegalStateException(
            "tidemark.webhooks." + name + ".secret-file " + secretFile.get() + " cannot be read",
            e);
      }
    }
    return secret.map(WebhookSecrets::withoutTrailingNewlines);
  }

  /** The value without the line break(s) an editor or {@code echo} leaves at the end of a file. */
  static String withoutTrailingNewlines(String value) {
    int end = value.length();
    while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
      end--;
    }
    return value.substring(0, end);
  }
}
