package io.tidemark.api.webhook;

/** Decides whether a request proves that its sender holds the provider's shared secret. */
public interface SignatureVerifier {

  /**
   * True only when the request carries a valid signature or token for its exact body; a missing,
   * empty or malformed one is never valid.
   */
  boolean verifies(WebhookRequest request);
}
