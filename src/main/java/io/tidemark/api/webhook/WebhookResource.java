package io.tidemark.api.webhook;

import io.tidemark.api.DeliveryRelay;
import io.tidemark.api.ReplicaHttp;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /api/webhooks/{provider}}: hands the exact body bytes to the webhook handler, and a
 * delivery that started targets held by other replicas on to them ({@link DeliveryRelay}).
 */
@Path("/api/webhooks")
public class WebhookResource {

  private final WebhookHandler handler;
  private final DeliveryRelay relay;

  public WebhookResource(WebhookHandler handler, DeliveryRelay relay) {
    this.handler = handler;
    this.relay = relay;
  }

  @POST
  @Path("/{provider}")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response receive(
      @PathParam("provider") String provider,
      @Context HttpHeaders headers,
      @Context RoutingContext routing,
      byte[] body) {
    Map<String, String> first = new HashMap<>();
    headers
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                first.put(name, values.get(0));
              }
            });
    WebhookReply reply = handler.handle(provider, WebhookRequest.of(first, body));
    if (reply.outcome() == Outcome.TRIGGERED
        && headers.getHeaderString(ReplicaHttp.FORWARDED_BY) == null) {
      // Verified here; the holders of the other targets verify it again before they run.
      relay.relay(provider, first, body, reply.triggered());
    }
    // Already counted by the handler; the refused-body counter must not count it again.
    routing.put(RefusedBodyCounter.ANSWERED, Boolean.TRUE);
    return Response.status(reply.status()).entity(reply.body()).build();
  }
}
