package io.tidemark.lease;

import java.util.Objects;
import java.util.Optional;

/**
 * How replicas share the targets' shards: the lease settings (the Lease name is the prefix of the
 * shards' Leases), how many shards there are, and the address where this replica's API answers
 * (written on the Leases it holds so that the other replicas can forward reads to it).
 */
public record ShardSettings(LeaseSettings lease, int shards, Optional<String> address) {

  public ShardSettings {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(address, "address");
    new ShardMap(shards); // validates the count
  }

  /**
   * The Lease of {@code shard}: with one shard, the leader election's own Lease (so that one shard
   * is today's single leader), else the lease name followed by {@code -shard-N}.
   */
  public String shardLease(int shard) {
    return shards == 1 ? lease.name() : lease.name() + "-shard-" + shard;
  }

  /** The Lease by which this replica says it is alive, to count the replicas. */
  public String memberLease() {
    return memberPrefix() + dnsLabel(lease.identity());
  }

  /** The common start of every replica's member Lease name. */
  public String memberPrefix() {
    return lease.name() + "-member-";
  }

  private static String dnsLabel(String identity) {
    String label = identity.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return label.replaceAll("^[.-]+|[.-]+$", "");
  }
}
