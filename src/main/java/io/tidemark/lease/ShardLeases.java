package io.tidemark.lease;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which shards of the targets this replica reconciles, and who holds the others. Implementations:
 * {@link SoleShards} (one replica holds every shard) and one Kubernetes Lease per shard ({@code
 * io.tidemark.cluster.kubernetes.lease.KubernetesShardLeases}).
 */
public interface ShardLeases extends AutoCloseable {

  /** How many shards the targets are spread over. */
  int count();

  /** Starts taking part; {@code listener} hears of every shard gained and lost. */
  void start(Listener listener);

  /** The shards this replica holds right now. */
  Set<Integer> held();

  /** Who holds {@code shard}, as last seen; empty while nobody does or before the first look. */
  Optional<Holder> holder(int shard);

  /** This replica's identity. */
  String identity();

  /** Stops taking part and gives every held shard up, so that others take them at once. */
  @Override
  void close();

  /** A replica holding a shard, and where its API answers when it said so. */
  record Holder(String identity, Optional<String> address) {
    public Holder {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(address, "address");
    }
  }

  /** Hears of shard changes, on a thread of the implementation's choosing. */
  interface Listener {

    /** This replica holds {@code shard} from now on: it reconciles the shard's targets. */
    void gained(int shard);

    /**
     * This replica no longer holds {@code shard}, or is about to give it up: it stops the shard's
     * targets and returns once their runs ended (or were recorded as interrupted).
     */
    void lost(int shard);
  }
}
