package io.tidemark.cluster.kubernetes.lease;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tidemark.lease.ShardBalance;
import io.tidemark.lease.ShardLeases;
import io.tidemark.lease.ShardSettings;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Holds shards through one {@code coordination.k8s.io/v1} Lease per shard. Every retry period a
 * replica renews its member Lease (that is how replicas count each other), lists the Leases, renews
 * the shards it holds, gives up those above its fair share and takes free ones (see {@link
 * ShardBalance}). A shard whose holder stopped renewing is free a lease duration later; a shard
 * this replica could not renew within the renew deadline is lost here, so two replicas never both
 * reconcile it. Writes carry the resourceVersion they read, so two replicas never both win a Lease.
 */
public final class KubernetesShardLeases implements ShardLeases {

  private static final Logger LOG = Logger.getLogger(KubernetesShardLeases.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ShardSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService loop;
  private final LeaseRecords records;
  private final Map<Integer, Instant> renewed = new ConcurrentHashMap<>();
  private volatile Map<Integer, Holder> holders = Map.of();
  private volatile Listener listener;

  /** Connects as {@code kubectl} would (in-cluster service account, KUBECONFIG, ~/.kube/config). */
  public static KubernetesShardLeases connect(ShardSettings settings) {
    return new KubernetesShardLeases(
        new KubernetesClientBuilder().build(), true, settings, Clock.systemUTC());
  }

  /** Uses a client that the caller keeps and closes. */
  public KubernetesShardLeases(KubernetesClient client, ShardSettings settings) {
    this(client, false, settings, Clock.systemUTC());
  }

  private KubernetesShardLeases(
      KubernetesClient client, boolean ownsClient, ShardSettings settings, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = clock;
    this.records = new LeaseRecords(settings.lease().leaseDuration());
    this.loop =
        // Two threads: the rounds, and a watchdog that drops overdue shards even while a round
        // hangs on a request the network swallowed.
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "tidemark-shard-leases");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public int count() {
    return settings.shards();
  }

  @Override
  public String identity() {
    return settings.lease().identity();
  }

  @Override
  public void start(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    long period = settings.lease().retryPeriod().toMillis();
    loop.scheduleWithFixedDelay(this::round, 0, period, TimeUnit.MILLISECONDS);
    loop.scheduleAtFixedRate(this::dropOverdue, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public Set<Integer> held() {
    return Set.copyOf(renewed.keySet());
  }

  @Override
  public Optional<Holder> holder(int shard) {
    return Optional.ofNullable(holders.get(shard));
  }

  /** One look at the Leases, and the moves it calls for; never throws (the loop must go on). */
  private void round() {
    try {
      Instant now = clock.instant();
      Map<String, Lease> leases =
          client.resources(Lease.class).inNamespace(namespace()).list().getItems().stream()
              .collect(Collectors.toMap(l -> l.getMetadata().getName(), Function.identity()));
      renewMember(Optional.ofNullable(leases.get(settings.memberLease())), now);
      int replicas = liveReplicas(leases, now);
      Map<Integer, ShardBalance.Seen> seen = new HashMap<>();
      Map<Integer, Holder> nowHeld = new HashMap<>();
      for (int index = 0; index < count(); index++) {
        int shard = index;
        String name = settings.shardLease(shard);
        Optional<Lease> read = Optional.ofNullable(leases.get(name));
        records.observe(name, read, now);
        Optional<Lease> lease = renewed.containsKey(shard) ? keep(shard, read) : read;
        lease.ifPresent(l -> leases.put(name, l)); // a release must write over the renewal
        Optional<String> live =
            renewed.containsKey(shard)
                ? Optional.of(identity())
                : records.liveHolder(name, lease, now);
        seen.put(
            shard,
            live.map(ShardBalance.Seen::heldBy)
                .orElseGet(() -> ShardBalance.Seen.free(records.freeFor(name, lease, now))));
        live.ifPresent(
            id ->
                nowHeld.put(
                    shard,
                    new Holder(
                        id,
                        id.equals(identity())
                            ? settings.address()
                            : lease.flatMap(LeaseRecords::address))));
      }
      ShardBalance.Moves moves =
          ShardBalance.decide(
              count(),
              identity(),
              renewed.keySet(),
              seen,
              replicas,
              settings.lease().leaseDuration());
      for (int shard : moves.release()) {
        giveUp(shard, Optional.ofNullable(leases.get(settings.shardLease(shard))));
        nowHeld.remove(shard);
      }
      for (int shard : moves.acquire()) {
        if (take(shard, Optional.ofNullable(leases.get(settings.shardLease(shard))))) {
          nowHeld.put(shard, new Holder(identity(), settings.address()));
        }
      }
      holders = Map.copyOf(nowHeld);
    } catch (RuntimeException e) {
      LOG.warnf("shard leases in %s: %s", namespace(), e.getMessage());
    } finally {
      dropOverdue();
    }
  }

  private int liveReplicas(Map<String, Lease> leases, Instant now) {
    int live = 1; // this replica, whether or not its member Lease was written yet
    for (Map.Entry<String, Lease> entry : leases.entrySet()) {
      String name = entry.getKey();
      if (!name.startsWith(settings.memberPrefix()) || name.equals(settings.memberLease())) {
        continue;
      }
      records.observe(name, Optional.of(entry.getValue()), now);
      if (records.liveHolder(name, Optional.of(entry.getValue()), now).isPresent()) {
        live++;
      } else if (records
              .freeFor(name, Optional.of(entry.getValue()), now)
              .compareTo(settings.lease().leaseDuration())
          > 0) {
        // A replica gone for good (a Deployment's pods get new names): its Lease goes too.
        quietly(() -> client.resource(entry.getValue()).delete());
      }
    }
    return live;
  }

  private void renewMember(Optional<Lease> member, Instant now) {
    Duration duration = settings.lease().leaseDuration();
    quietly(
        () ->
            write(
                member
                    .map(l -> LeaseRecords.held(l, identity(), duration, settings.address(), now))
                    .orElseGet(() -> created(settings.memberLease(), now)),
                member.isEmpty()));
  }

  /** Renews a held shard; a shard someone else holds now, or whose Lease went, is lost. */
  private Optional<Lease> keep(int shard, Optional<Lease> lease) {
    if (lease.isEmpty() || !identity().equals(LeaseRecords.holder(lease.get()))) {
      lose(shard, lease.map(LeaseRecords::holder).map(h -> "held by " + h).orElse("gone"));
      return lease;
    }
    // A renewal counts from just before it is sent: no other replica can see it any earlier.
    Instant now = clock.instant();
    try {
      Lease renewal =
          write(
              LeaseRecords.held(
                  lease.get(),
                  identity(),
                  settings.lease().leaseDuration(),
                  settings.address(),
                  now),
              false);
      // Only if still held: the watchdog may have dropped it meanwhile (it then simply expires).
      renewed.replace(shard, now);
      return Optional.ofNullable(renewal);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        lose(shard, "changed by another replica");
      } else {
        LOG.debugf("renewing shard %d failed: %s", shard, e.getMessage());
      }
      return lease;
    }
  }

  private boolean take(int shard, Optional<Lease> lease) {
    Instant now = clock.instant();
    try {
      write(
          lease
              .map(
                  l ->
                      LeaseRecords.held(
                          l, identity(), settings.lease().leaseDuration(), settings.address(), now))
              .orElseGet(() -> created(settings.shardLease(shard), now)),
          lease.isEmpty());
    } catch (KubernetesClientException e) {
      LOG.debugf("shard %d went to another replica first: %s", shard, e.getMessage());
      return false;
    }
    renewed.put(shard, now);
    LOG.infof("%s holds shard %d of %d", identity(), shard, count());
    listener.gained(shard);
    return true;
  }

  private void giveUp(int shard, Optional<Lease> lease) {
    lose(shard, "given up for a replica below its share");
    lease
        .filter(l -> identity().equals(LeaseRecords.holder(l)))
        .ifPresent(l -> quietly(() -> write(LeaseRecords.released(l, clock.instant()), false)));
  }

  /** Loses every shard not renewed within the renew deadline: another replica may take it soon. */
  private synchronized void dropOverdue() {
    Instant now = clock.instant();
    renewed.forEach(
        (shard, at) -> {
          if (Duration.between(at, now).compareTo(settings.lease().renewDeadline()) > 0) {
            lose(shard, "not renewed within the renew deadline");
          }
        });
  }

  private void lose(int shard, String why) {
    if (renewed.remove(shard) != null) {
      LOG.infof("%s no longer holds shard %d: %s", identity(), shard, why);
      listener.lost(shard);
    }
  }

  private Lease created(String name, Instant now) {
    return LeaseRecords.created(
        name,
        namespace(),
        settings.lease().name(),
        identity(),
        settings.lease().leaseDuration(),
        settings.address(),
        now);
  }

  /** Creates, or replaces only if nobody wrote the Lease since it was read (else a 409). */
  private Lease write(Lease lease, boolean create) {
    return create
        ? client.resource(lease).inNamespace(namespace()).create()
        : client.resource(lease).inNamespace(namespace()).update();
  }

  private static void quietly(Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      // A client closed or a server that does not answer: the lease simply expires.
      LOG.debugf("lease write skipped: %s", e.getMessage());
    }
  }

  private String namespace() {
    return settings.lease().namespace();
  }

  /**
   * Stops taking part and releases every held shard, so that the others take them at their next
   * round; the caller stops the shards' targets first (a release does not wait for runs).
   */
  @Override
  public void close() {
    loop.shutdown();
    try {
      loop.awaitTermination(settings.lease().renewDeadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Instant now = clock.instant();
    for (int shard : Set.copyOf(renewed.keySet())) {
      renewed.remove(shard);
      quietly(
          () -> {
            Lease lease =
                client
                    .resources(Lease.class)
                    .inNamespace(namespace())
                    .withName(settings.shardLease(shard))
                    .get();
            if (lease != null && identity().equals(LeaseRecords.holder(lease))) {
              write(LeaseRecords.released(lease, now), false);
            }
          });
    }
    quietly(
        () ->
            client
                .resources(Lease.class)
                .inNamespace(namespace())
                .withName(settings.memberLease())
                .delete());
    if (ownsClient) {
      client.close();
    }
  }
}
