package io.tidemark.cluster.kubernetes;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The last drift verdict of each object of a target, reused while neither the object's desired
 * content (its {@link ContentHash}) nor its live {@code resourceVersion} changed, so that a no-op
 * reconcile sends no dry-run. Every write to an object, by anyone, moves its resourceVersion, so a
 * change made out of band is always compared afresh. Entries also expire after a maximum age, for
 * what can change a dry-run's answer without touching the object (a changed admission webhook or
 * CRD schema default).
 */
final class ComparisonCache {

  /**
   * One verdict. {@code desired} is the frozen spec it was made for, held weakly: while the render
   * of an unchanged commit is reused, a lookup finds that very spec and hashes nothing.
   */
  private record Entry(
      String desiredHash,
      WeakReference<Map<String, Object>> desired,
      String resourceVersion,
      Comparison verdict,
      long at) {

    Entry(Map<String, Object> spec, String resourceVersion, Comparison verdict, long at) {
      this(ContentHash.of(spec), new WeakReference<>(spec), resourceVersion, verdict, at);
    }

    boolean madeFor(Map<String, Object> spec) {
      return desired.get() == spec || desiredHash.equals(ContentHash.of(spec));
    }
  }

  private final Map<ObjectKey, Entry> entries = new ConcurrentHashMap<>();
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;

  /**
   * @param maxAge how long a verdict is reused at most, even when nothing seems to have changed
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  ComparisonCache(Duration maxAge, LongSupplier nanoTime) {
    this.maxAgeNanos = Objects.requireNonNull(maxAge, "maxAge").toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The verdict remembered for exactly this desired content and this live resourceVersion. */
  Optional<Comparison> lookup(DesiredObject desired, LiveObject live) {
    Entry entry = entries.get(desired.key());
    if (entry == null
        || live.version().isEmpty()
        || !entry.resourceVersion().equals(live.version())
        || nanoTime.getAsLong() - entry.at() > maxAgeNanos
        || !entry.madeFor(desired.spec())) {
      return Optional.empty();
    }
    return Optional.of(entry.verdict());
  }

  /**
   * Remembers the verdict of a dry-run. Only stable verdicts are kept: a refusal or a missing
   * object is asked again next time, as the server may answer differently without a write.
   */
  void remember(DesiredObject desired, LiveObject live, Comparison verdict) {
    boolean stable =
        verdict.verdict() == Comparison.Verdict.IN_SYNC
            || verdict.verdict() == Comparison.Verdict.DRIFTED;
    if (stable && !live.version().isEmpty()) {
      entries.put(
          desired.key(), new Entry(desired.spec(), live.version(), verdict, nanoTime.getAsLong()));
    } else {
      entries.remove(desired.key());
    }
  }

  /**
   * Remembers an object that a forced server-side apply just stored: it is what a dry-run of the
   * same desired object would answer, so it is in sync at the resourceVersion the server returned.
   */
  void applied(DesiredObject desired, Map<String, ?> stored) {
    Object version = Trees.at(stored, "metadata", "resourceVersion");
    if (version == null || String.valueOf(version).isEmpty()) {
      entries.remove(desired.key());
      return;
    }
    entries.put(
        desired.key(),
        new Entry(
            desired.spec(), String.valueOf(version), Comparison.inSync(), nanoTime.getAsLong()));
  }

  void forget(ObjectKey key) {
    entries.remove(key);
  }

  /** Forgets every object of a kind (its CRD changed: its schema defaults may have). */
  void forgetKind(String qualifiedKind) {
    entries.keySet().removeIf(key -> key.kind().equals(qualifiedKind));
  }

  /** Keeps only the objects still desired, so the cache never outgrows the desired state. */
  void retain(Set<ObjectKey> desired) {
    entries.keySet().retainAll(desired);
  }

  int size() {
    return entries.size();
  }
}
