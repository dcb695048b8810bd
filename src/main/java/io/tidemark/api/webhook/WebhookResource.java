package io.tidemark.api.webhook;

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

/** {@code POST /api/webhooks/{provider}}: hands the exact body bytes to the webhook handler. */
@Path("/api/webhooks")
public class WebhookResource {

  private final WebhookHandler handler;

  public WebhookResource(WebhookHandler handler) {
    this.handler = handler;
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
    // Already counted by the handler; the refused-body counter must not count it again.
    routing.put(RefusedBodyCounter.ANSWERED, Boolean.TRUE);
    return Response.status(reply.status()).entity(reply.body()).build();
  }
}
