package io.tidemark.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardMapTest {

  @Test
  void oneShardHoldsEveryTarget() {
    assertThat(new ShardMap(1).shardOf("anything")).isZero();
  }

  @Test
  void aNameAlwaysLandsOnTheSameShard() {
    assertThat(new ShardMap(8).shardOf("payments-prod"))
        .isEqualTo(new ShardMap(8).shardOf("payments-prod"));
  }

  @Test
  void targetsSpreadOverEveryShardRoughlyEvenly() {
    ShardMap map = new ShardMap(4);
    Map<Integer, Integer> counts = new HashMap<>();
    IntStream.range(0, 400).forEach(i -> counts.merge(map.shardOf("target-" + i), 1, Integer::sum));

    assertThat(counts).containsOnlyKeys(0, 1, 2, 3);
    assertThat(counts.values()).allMatch(n -> n > 60 && n < 140);
  }

  @Test
  void oneMoreShardMovesOnlyTheTargetsItTakes() {
    ShardMap four = new ShardMap(4);
    ShardMap five = new ShardMap(5);
    long moved =
        IntStream.range(0, 1000)
            .filter(i -> four.shardOf("t" + i) != five.shardOf("t" + i))
            .peek(i -> assertThat(five.shardOf("t" + i)).isEqualTo(4))
            .count();

    assertThat(moved).isBetween(120L, 280L); // about one in five
  }

  @Test
  void refusesFewerThanOneShard() {
    assertThatThrownBy(() -> new ShardMap(0)).hasMessageContaining("tidemark.sharding.shards");
  }
}
