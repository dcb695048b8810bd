package io.tidemark.cluster.kubernetes.lease;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.tidemark.lease.Leadership;
import io.tidemark.lease.LeaseSettings;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Leadership through a {@code coordination.k8s.io/v1} Lease, with fabric8's {@link LeaderElector}.
 * A replica that loses the lease (another took it over, or it could not renew it within the renew
 * deadline) stops leading and stands for election again; closing gives the lease up (released), so
 * that another replica takes over at its next retry instead of waiting out the lease duration.
 */
public final class LeaseLeadership implements Leadership {

  private static final Logger LOG = Logger.getLogger(LeaseLeadership.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final LeaseSettings settings;
  private final ExecutorService executor;
  private final AtomicBoolean leading = new AtomicBoolean();
  private volatile boolean closed;
  private volatile CompletableFuture<?> round;

  /** Connects as {@code kubectl} would (in-cluster service account, KUBECONFIG, ~/.kube/config). */
  public static LeaseLeadership connect(LeaseSettings settings) {
    return new LeaseLeadership(new KubernetesClientBuilder().build(), true, settings);
  }

  /** Uses a client that the caller keeps and closes. */
  public LeaseLeadership(KubernetesClient client, LeaseSettings settings) {
    this(client, false, settings);
  }

  private LeaseLeadership(KubernetesClient client, boolean ownsClient, LeaseSettings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "tidemark-leader-election");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    stand(listener);
  }

  /** One election round: acquire, renew until that fails, then {@link #restart} for another. */
  private synchronized void stand(Listener listener) {
    if (closed) {
      return;
    }
    LeaderElector elector =
        new LeaderElector(
            client,
            new LeaderElectionConfigBuilder()
                .withName(settings.name())
                .withLock(new LeaseLock(settings.namespace(), settings.name(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(
                    new LeaderCallbacks(
                        () -> gained(listener),
                        () -> lost(listener),
                        leader -> LOG.debugf("lease %s is held by %s", settings.name(), leader)))
                .build(),
            executor);
    CompletableFuture<?> current = elector.start();
    round = current;
    current.whenComplete(
        (ignored, failure) -> {
          if (failure != null && !closed && !(failure instanceof CancellationException)) {
            LOG.warnf("leader election on lease %s stopped: %s", settings.name(), failure);
          }
          restart(listener, current);
        });
  }

  private void gained(Listener listener) {
    if (leading.compareAndSet(false, true)) {
      LOG.infof(
          "%s leads (lease %s/%s)", settings.identity(), settings.namespace(), settings.name());
      listener.becameLeader();
    }
  }

  private void lost(Listener listener) {
    if (leading.compareAndSet(true, false)) {
      LOG.infof("%s no longer leads (lease %s)", settings.identity(), settings.name());
      listener.lostLeadership();
    }
    // A round may not end by itself after a loss (fabric8 does not complete it when the lease
    // cannot even be read back), so a loss always ends the round here.
    restart(listener, round);
  }

  /** Ends {@code ended} if it is still the current round, and stands for election again. */
  private void restart(Listener listener, CompletableFuture<?> ended) {
    synchronized (this) {
      if (closed || ended == null || round != ended) {
        return;
      }
      round = null;
    }
    // Outside the lock: cancelling runs the elector's own stop, which takes the elector's lock.
    ended.cancel(true);
    executor.execute(() -> stand(listener));
  }

  @Override
  public boolean leading() {
    return leading.get();
  }

  /** The identity this replica stands as. */
  public String identity() {
    return settings.identity();
  }

  @Override
  public void close() {
    CompletableFuture<?> current;
    synchronized (this) {
      closed = true;
      current = round;
    }
    if (current != null) {
      current.cancel(true); // with releaseOnCancel, the elector gives the lease up
    }
    executor.shutdown();
    if (ownsClient) {
      client.close();
    }
  }
}
