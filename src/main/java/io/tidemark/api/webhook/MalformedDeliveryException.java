package io.tidemark.api.webhook;

/**
 * A verified delivery whose headers or payload do not have the provider's documented shape; its
 * message names what is wrong and never echoes payload content.
 */
public class MalformedDeliveryException extends RuntimeException {

  public MalformedDeliveryException(String message) {
    super(message);
  }
}
