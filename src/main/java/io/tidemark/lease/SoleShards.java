package io.tidemark.lease;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The shards of a replica that runs alone (leader election off): it holds every shard. */
public final class SoleShards implements ShardLeases {

  private final int count;
  private final String identity;
  private volatile boolean started;

  public SoleShards(int count, String identity) {
    new ShardMap(count); // validates the count
    this.count = count;
    this.identity = identity;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public void start(Listener listener) {
    started = true;
    for (int shard = 0; shard < count; shard++) {
      listener.gained(shard);
    }
  }

  @Override
  public Set<Integer> held() {
    return started
        ? IntStream.range(0, count).boxed().collect(Collectors.toUnmodifiableSet())
        : Set.of();
  }

  @Override
  public Optional<Holder> holder(int shard) {
    return started ? Optional.of(new Holder(identity, Optional.empty())) : Optional.empty();
  }

  @Override
  public String identity() {
    return identity;
  }

  @Override
  public void close() {
    started = false;
  }
}
