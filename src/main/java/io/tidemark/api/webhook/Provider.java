package io.tidemark.api.webhook;

import java.util.Locale;
import java.util.Optional;

/** The closed set of webhook senders Tidemark understands, named as in the URL and in config. */
public enum Provider {
  GITHUB,
  GITLAB,
  GITEA,
  BITBUCKET,
  GENERIC;

  /** The name used in {@code /api/webhooks/{name}}, in config keys and in metric tags. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The provider with exactly this lower-case name, if any. */
  public static Optional<Provider> byName(String name) {
    for (Provider provider : values()) {
      if (provider.tag().equals(name)) {
        return Optional.of(provider);
      }
    }
    return Optional.empty();
  }
}
