package io.tidemark.lease;

/**
 * Whether this replica is the one that reconciles. Only the leader polls and runs reconciles; every
 * replica serves the read API. Implementations: {@link SoleReplica} (no election) and a Kubernetes
 * Lease ({@code io.tidemark.cluster.kubernetes.lease.LeaseLeadership}).
 */
public interface Leadership extends AutoCloseable {

  /** Starts taking part in the election; {@code listener} hears of every gain and loss. */
  void start(Listener listener);

  /** Whether this replica leads right now. */
  boolean leading();

  /** Stops taking part; a leader gives up its lease so that another replica takes over at once. */
  @Override
  void close();

  /** Hears of leadership changes, on a thread of the implementation's choosing. */
  interface Listener {

    /** This replica became the leader: it may reconcile from now on. */
    void becameLeader();

    /** This replica lost or gave up leadership: it must stop starting reconciles. */
    void lostLeadership();
  }
}
