package io.tidemark.api.webhook;

/** Reads a provider's event headers and payload into a {@link Delivery}, after verification. */
public interface DeliveryReader {

  /** The provider's delivery id header, or empty when the request has none. */
  String deliveryId(WebhookRequest request);

  /**
   * What the delivery says.
   *
   * @throws MalformedDeliveryException when a header or the payload a push needs is missing or not
   *     of the documented shape
   */
  Delivery read(WebhookRequest request);
}
