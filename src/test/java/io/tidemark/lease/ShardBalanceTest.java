package io.tidemark.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.lease.ShardBalance.Seen;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardBalanceTest {

  private static final Duration LEASE = Duration.ofSeconds(15);

  @Test
  void theFairShareIsTheShardsOverTheReplicasRoundedUp() {
    assertThat(ShardBalance.fairShare(4, 2)).isEqualTo(2);
    assertThat(ShardBalance.fairShare(5, 2)).isEqualTo(3);
    assertThat(ShardBalance.fairShare(3, 4)).isEqualTo(1);
    assertThat(ShardBalance.fairShare(3, 0)).isEqualTo(3);
  }

  @Test
  void aReplicaAloneTakesEveryFreeShard() {
    ShardBalance.Moves moves = ShardBalance.decide(3, "a", Set.of(), Map.of(), 1, LEASE);

    assertThat(moves.acquire()).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(moves.release()).isEmpty();
  }

  @Test
  void aReplicaAboveItsShareGivesItsHighestShardsUpForANewcomer() {
    ShardBalance.Moves moves =
        ShardBalance.decide(
            4, "a", Set.of(0, 1, 2, 3), Map.of(0, a(), 1, a(), 2, a(), 3, a()), 2, LEASE);

    assertThat(moves.release()).containsExactlyInAnyOrder(2, 3);
    assertThat(moves.acquire()).isEmpty();
  }

  @Test
  void aReplicaBelowItsShareTakesFreeShardsButNeverHeldOnes() {
    ShardBalance.Moves moves =
        ShardBalance.decide(
            4,
            "b",
            Set.of(),
            Map.of(0, a(), 1, a(), 2, Seen.free(Duration.ZERO), 3, Seen.free(Duration.ZERO)),
            2,
            LEASE);

    assertThat(moves.acquire()).containsExactlyInAnyOrder(2, 3);
  }

  @Test
  void aReplicaAtItsShareLeavesAFreshlyFreedShardToOthers() {
    ShardBalance.Moves moves =
        ShardBalance.decide(
            4,
            "b",
            Set.of(0, 1),
            Map.of(0, b(), 1, b(), 2, Seen.free(Duration.ofSeconds(1)), 3, a()),
            2,
            LEASE);

    assertThat(moves.acquire()).isEmpty();
  }

  @Test
  void aShardFreeForALeaseDurationIsTakenEvenAboveTheShare() {
    ShardBalance.Moves moves =
        ShardBalance.decide(
            4, "b", Set.of(0, 1), Map.of(0, b(), 1, b(), 2, Seen.free(LEASE), 3, a()), 2, LEASE);

    assertThat(moves.acquire()).containsExactly(2);
  }

  private static Seen a() {
    return Seen.heldBy("a");
  }

  private static Seen b() {
    return Seen.heldBy("b");
  }
}
