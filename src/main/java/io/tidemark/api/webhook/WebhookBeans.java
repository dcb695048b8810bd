package io.tidemark.api.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.reconcile.PushListener;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Builds the webhook handler from the configuration at start, so a bad secret file fails fast. */
@Singleton
public class WebhookBeans {

  private static final Logger LOG = Logger.getLogger(WebhookBeans.class);

  @Produces
  @Singleton
  WebhookMetrics webhookMetrics(MeterRegistry registry) {
    return new WebhookMetrics(registry);
  }

  @Produces
  @Singleton
  @Startup
  WebhookHandler webhookHandler(
      TidemarkConfig config, PushListener listener, WebhookMetrics metrics) {
    Map<Provider, WebhookSecret> secrets = WebhookSecrets.load(config.webhooks());
    TidemarkConfig.Git git = config.git();
    Optional<String> followed =
        GenericDeliveryReader.followedRef(git.tag(), git.commit(), git.branch());
    Map<Provider, Receiver> receivers = new EnumMap<>(Provider.class);
    secrets.forEach(
        (provider, secret) -> receivers.put(provider, Receiver.of(provider, secret, followed)));
    LOG.infof(
        "webhooks on: %s",
        receivers.isEmpty() ? "none" : receivers.keySet().stream().map(Provider::tag).toList());
    return new WebhookHandler(
        receivers, new DeliveryLog(DeliveryLog.DEFAULT_CAPACITY), listener, metrics);
  }
}
