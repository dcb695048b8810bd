package io.tidemark.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which shards a replica gives up and which it tries to take, from one look at the leases:
 * each replica aims at its fair share, {@code ceil(shards / live replicas)}; one above it gives its
 * highest shards up for the newcomers, one below it takes free shards, and a shard left free for a
 * whole lease duration (its replica is gone and nobody took it) is taken even above the share.
 */
public final class ShardBalance {

  private ShardBalance() {}

  /** One shard as last seen: its live holder, or empty and for how long it has been free. */
  public record Seen(Optional<String> holder, Duration freeFor) {
    public Seen {
      Objects.requireNonNull(holder, "holder");
      Objects.requireNonNull(freeFor, "freeFor");
    }

    public static Seen heldBy(String identity) {
      return new Seen(Optional.of(identity), Duration.ZERO);
    }

    public static Seen free(Duration since) {
      return new Seen(Optional.empty(), since);
    }
  }

  /** What to do in this round: shards to give up, then shards to try to take, in that order. */
  public record Moves(Set<Integer> release, List<Integer> acquire) {
    public Moves {
      release = Set.copyOf(release);
      acquire = List.copyOf(acquire);
    }
  }

  /** The fair share of {@code shards} among {@code replicas} live replicas. */
  public static int fairShare(int shards, int replicas) {
    int live = Math.max(1, replicas);
    return (shards + live - 1) / live;
  }

  /**
   * The moves of the replica {@code self} that holds {@code held}, seeing {@code shards} (a missing
   * shard counts as free since now) and {@code replicas} live replicas, itself included.
   */
  public static Moves decide(
      int count,
      String self,
      Set<Integer> held,
      Map<Integer, Seen> shards,
      int replicas,
      Duration orphanAfter) {
    int fair = fairShare(count, replicas);
    TreeSet<Integer> mine = new TreeSet<>(held);
    TreeSet<Integer> release = new TreeSet<>();
    while (mine.size() > fair) {
      release.add(mine.pollLast());
    }
    List<Integer> acquire = new ArrayList<>();
    int room = fair - mine.size();
    // Start at a place of our own so that replicas starting together do not all race for shard 0.
    int start = Math.floorMod(self.hashCode(), count);
    for (int i = 0; i < count; i++) {
      int shard = (start + i) % count;
      if (mine.contains(shard) || release.contains(shard)) {
        continue;
      }
      Seen seen = shards.getOrDefault(shard, Seen.free(Duration.ZERO));
      if (seen.holder().isPresent()) {
        continue;
      }
      if (room > 0) {
        acquire.add(shard);
        room--;
      } else if (seen.freeFor().compareTo(orphanAfter) >= 0) {
        acquire.add(shard);
      }
    }
    return new Moves(release, acquire);
  }
}
