package io.tidemark.api.webhook;

import java.util.Objects;
import java.util.Optional;

/** A configured provider's pair: how its requests are verified and how they are read. */
public record Receiver(SignatureVerifier verifier, DeliveryReader reader) {

  public Receiver {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(reader, "reader");
  }

  /** The receiver of this provider with this secret. */
  static Receiver of(Provider provider, WebhookSecret secret, Optional<String> followed) {
    JsonPayload json = new JsonPayload();
    return switch (provider) {
      case GITHUB ->
          new Receiver(Sha256PrefixedVerifier.github(secret), new GitHubDeliveryReader(json));
      case GITLAB -> new Receiver(new GitLabTokenVerifier(secret), new GitLabDeliveryReader(json));
      case GITEA -> new Receiver(new GiteaSignatureVerifier(secret), new GiteaDeliveryReader(json));
      case BITBUCKET ->
          new Receiver(Sha256PrefixedVerifier.bitbucket(secret), new BitbucketDeliveryReader(json));
      case GENERIC ->
          new Receiver(new GenericTokenVerifier(secret), new GenericDeliveryReader(json, followed));
    };
  }
}
