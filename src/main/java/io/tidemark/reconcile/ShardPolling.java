package io.tidemark.reconcile;

import io.tidemark.lease.ShardLeases;
import io.tidemark.lease.ShardMap;
import io.tidemark.model.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs the targets of the shards this replica holds and no others: a gained shard's targets resume
 * and are checked for drift on their interval (and run at once when their repository already
 * fetched); a lost shard's targets stop cleanly, the run in flight recorded as interrupted by the
 * handover, before the shard's Lease is given up. Repositories are polled while any shard is held.
 */
final class ShardPolling implements ShardLeases.Listener {

  private static final Logger LOG = Logger.getLogger(ShardPolling.class);

  private final ShardMap map;
  private final Supplier<? extends Collection<RepositoryFeed>> feeds;
  private final Supplier<? extends Collection<TargetRunner>> runners;
  private final ScheduledExecutorService timer;
  private final Duration stopWait;
  private final Set<Integer> held = new HashSet<>();
  private final Map<Integer, List<ScheduledFuture<?>>> drift = new HashMap<>();
  private final List<ScheduledFuture<?>> fetches = new ArrayList<>();

  ShardPolling(
      ShardMap map,
      Supplier<? extends Collection<RepositoryFeed>> feeds,
      Supplier<? extends Collection<TargetRunner>> runners,
      ScheduledExecutorService timer,
      Duration stopWait) {
    this.map = Objects.requireNonNull(map, "map");
    this.feeds = Objects.requireNonNull(feeds, "feeds");
    this.runners = Objects.requireNonNull(runners, "runners");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.stopWait = Objects.requireNonNull(stopWait, "stopWait");
  }

  @Override
  public synchronized void gained(int shard) {
    if (!held.add(shard)) {
      return;
    }
    List<TargetRunner> mine = of(shard);
    List<ScheduledFuture<?>> polls = new ArrayList<>();
    for (TargetRunner runner : mine) {
      runner.resume();
      // A repository's first fetch runs every target; drift checks start one interval later,
      // spread over the interval so that hundreds of targets do not all start at once.
      Duration period = runner.settings().pollInterval();
      long spread =
          Math.floorMod(runner.settings().name().hashCode(), Math.max(1, period.toMillis()));
      runner.schedule(timer, period.plusMillis(spread)).ifPresent(polls::add);
    }
    drift.put(shard, polls);
    if (fetches.isEmpty()) {
      feeds.get().forEach(feed -> feed.schedule(timer).ifPresent(fetches::add));
    }
    for (RepositoryFeed feed : feeds.get()) {
      if (feed.started()) {
        // Taken over from another replica: run now on the revision this replica already has.
        feed.runners().stream().filter(mine::contains).forEach(r -> r.request(Trigger.poll()));
      }
    }
    LOG.infof("shard %d: reconciling its %d targets here", shard, mine.size());
  }

  @Override
  public synchronized void lost(int shard) {
    if (!held.remove(shard)) {
      return;
    }
    drift.getOrDefault(shard, List.of()).forEach(poll -> poll.cancel(false));
    drift.remove(shard);
    List<TargetRunner> mine = of(shard);
    Instant deadline = Instant.now().plus(stopWait);
    mine.forEach(TargetRunner::handOver);
    mine.forEach(runner -> runner.awaitHandedOver(deadline));
    if (held.isEmpty()) {
      fetches.forEach(poll -> poll.cancel(false));
      fetches.clear();
    }
    LOG.infof("shard %d: stopped its %d targets here", shard, mine.size());
  }

  /** Whether this replica holds the shard of the target named {@code target}. */
  synchronized boolean holds(String target) {
    return held.contains(map.shardOf(target));
  }

  synchronized boolean polling() {
    return !fetches.isEmpty();
  }

  private List<TargetRunner> of(int shard) {
    return runners.get().stream().filter(r -> map.shardOf(r.settings().name()) == shard).toList();
  }
}
