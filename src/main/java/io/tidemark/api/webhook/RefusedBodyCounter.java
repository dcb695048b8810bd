package io.tidemark.api.webhook;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Counts and logs webhook requests that the HTTP layer refuses with 413 (over {@code
 * quarkus.http.limits.max-body-size}) before the webhook resource ever sees them.
 */
@Singleton
public class RefusedBodyCounter {

  /** Routing-context key the resource sets on requests it answered (and counted) itself. */
  static final String ANSWERED = "tidemark.webhook.answered";

  private static final Logger LOG = Logger.getLogger(RefusedBodyCounter.class);
  private static final String PREFIX = "/api/webhooks/";

  private final WebhookMetrics metrics;

  public RefusedBodyCounter(WebhookMetrics metrics) {
    this.metrics = metrics;
  }

  void watch(@Observes Router router) {
    // Quarkus checks Content-Length at route order -2; run just before it to see its answer.
    router.route(PREFIX + "*").order(-3).handler(this::watchResponse);
  }

  private void watchResponse(RoutingContext context) {
    context.addHeadersEndHandler(
        ignored -> {
          if (context.response().getStatusCode() == 413 && context.get(ANSWERED) == null) {
            String provider = providerTag(context.normalizedPath());
            metrics.record(provider, Outcome.TOO_LARGE);
            LOG.infof(
                "webhook %s delivery -: %s by the HTTP layer", provider, Outcome.TOO_LARGE.tag());
          }
        });
    context.next();
  }

  /** The provider tag of a webhook path, {@code unknown} when it names no provider. */
  static String providerTag(String path) {
    String name = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
    int slash = name.indexOf('/');
    name = slash < 0 ? name : name.substring(0, slash);
    return Provider.byName(name).map(Provider::tag).orElse(WebhookMetrics.UNKNOWN_PROVIDER);
  }
}
