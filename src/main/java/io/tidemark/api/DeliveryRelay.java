package io.tidemark.api;

import io.tidemark.lease.ShardLeases;
import io.tidemark.reconcile.Reconcilers;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Relays a verified webhook delivery to the other replicas that hold shards of the targets it
 * concerns, so that a push reaching any replica starts their runs at once. The delivery goes as it
 * came (the exact body bytes and the provider's signature or token headers), so the holder checks
 * it again with its own secret before it starts anything: webhooks stay fail-closed on every
 * replica, and a relayed delivery carries {@link ReplicaHttp#FORWARDED_BY} so it is never relayed
 * again.
 */
@Singleton
public class DeliveryRelay {

  private static final Logger LOG = Logger.getLogger(DeliveryRelay.class);

  /** Headers of the hop, not of the delivery: never passed on. */
  private static final Set<String> HOP_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "keep-alive",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "cookie",
          "proxy-authorization",
          "proxy-connection",
          "forwarded",
          "x-forwarded-for",
          "x-forwarded-host",
          "x-forwarded-proto");

  private final Reconcilers reconcilers;
  private final ReplicaHttp replicas;

  public DeliveryRelay(Reconcilers reconcilers, ReplicaHttp replicas) {
    this.reconcilers = reconcilers;
    this.replicas = replicas;
  }

  /**
   * Passes a delivery that started {@code targets} here on to the holders of those held elsewhere,
   * without waiting for them. Returns the replicas it was relayed to.
   */
  public Set<String> relay(
      String provider, Map<String, String> headers, byte[] body, Collection<String> targets) {
    Map<String, String> holders = new TreeMap<>(); // identity -> address
    for (String target : targets) {
      if (reconcilers.holds(target)) {
        continue;
      }
      reconcilers
          .holder(target)
          .filter(h -> !h.identity().equals(reconcilers.identity()))
          .ifPresent(
              h ->
                  h.address()
                      .ifPresentOrElse(
                          a -> holders.put(h.identity(), a), () -> noAddress(target, h)));
    }
    Map<String, String> passed = new LinkedHashMap<>();
    headers.forEach(
        (name, value) -> {
          if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            passed.put(name, value);
          }
        });
    holders.forEach(
        (identity, address) ->
            replicas
                .sendAsync(address, "POST", "/api/webhooks/" + provider, passed, body)
                .whenComplete(
                    (answer, failure) -> {
                      if (failure != null) {
                        LOG.warnf(
                            "webhook %s delivery not relayed to replica %s (%s): it sees the push"
                                + " at its next poll",
                            provider, identity, cause(failure).getClass().getSimpleName());
                      } else {
                        LOG.infof(
                            "webhook %s delivery relayed to replica %s: %d",
                            provider, identity, answer.statusCode());
                      }
                    }));
    return holders.keySet();
  }

  private static Throwable cause(Throwable failure) {
    return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  private static void noAddress(String target, ShardLeases.Holder holder) {
    LOG.warnf(
        "target %s: replica %s has no address on its Lease (tidemark.sharding.advertise-url);"
            + " it sees the push at its next poll",
        target, holder.identity());
  }
}
