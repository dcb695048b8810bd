package io.tidemark.lease;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Places target names on shards by consistent hashing (Lamping and Veach's jump hash of the name's
 * SHA-256): the same name lands on the same shard in every replica and every run, and going from
 * {@code n} to {@code n + 1} shards moves only about one target in {@code n + 1}.
 */
public record ShardMap(int shards) {

  public ShardMap {
    if (shards < 1) {
      throw new IllegalArgumentException("tidemark.sharding.shards must be at least 1: " + shards);
    }
  }

  /** The shard, from 0 to {@code shards - 1}, that reconciles the target named {@code name}. */
  public int shardOf(String name) {
    return jump(key(name), shards);
  }

  static int jump(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777866173L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }

  private static long key(String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        key = (key << 8) | (digest[i] & 0xff);
      }
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
