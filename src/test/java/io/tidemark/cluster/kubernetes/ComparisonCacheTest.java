package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.SourceLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a remembered drift verdict may be reused, and when it must be asked again. */
class ComparisonCacheTest {

  private static final ObjectKey KEY = new ObjectKey("ConfigMap", "shop", "web");
  private final AtomicLong now = new AtomicLong();
  private final ComparisonCache cache = new ComparisonCache(Duration.ofMinutes(10), now::get);

  @Test
  void reusesAVerdictForTheSameContentAndResourceVersion() {
    cache.remember(desired("info", "c1"), live("7"), Comparison.inSync());

    assertThat(cache.lookup(desired("info", "c2"), live("7"))).contains(Comparison.inSync());
  }

  @Test
  void asksAgainWhenTheLiveResourceVersionMoved() {
    cache.remember(desired("info", "c1"), live("7"), Comparison.inSync());

    assertThat(cache.lookup(desired("info", "c1"), live("8"))).isEmpty();
  }

  @Test
  void asksAgainWhenTheDesiredContentChanged() {
    cache.remember(desired("info", "c1"), live("7"), Comparison.inSync());

    assertThat(cache.lookup(desired("debug", "c1"), live("7"))).isEmpty();
  }

  @Test
  void asksAgainOnceAVerdictIsOlderThanItsMaximumAge() {
    cache.remember(desired("info", "c1"), live("7"), Comparison.inSync());
    now.addAndGet(Duration.ofMinutes(10).plusNanos(1).toNanos());

    assertThat(cache.lookup(desired("info", "c1"), live("7"))).isEmpty();
  }

  @Test
  void neverKeepsRefusalsNorObjectsWithoutAResourceVersion() {
    cache.remember(desired("info", "c1"), live("7"), Comparison.refused("422 Invalid"));
    cache.remember(desired("info", "c1"), live(""), Comparison.inSync());

    assertThat(cache.size()).isZero();
  }

  @Test
  void knowsAnObjectJustAppliedIsInSyncAtTheResourceVersionTheServerReturned() {
    cache.applied(desired("info", "c1"), Map.of("metadata", Map.of("resourceVersion", "9")));

    assertThat(cache.lookup(desired("info", "c1"), live("9"))).contains(Comparison.inSync());
    assertThat(cache.lookup(desired("info", "c1"), live("10"))).isEmpty();
  }

  @Test
  void forgetsObjectsOfAKindWhoseCrdChangedAndObjectsNoLongerDesired() {
    cache.remember(desired("info", "c1"), live("7"), Comparison.inSync());
    cache.forgetKind("ConfigMap");
    assertThat(cache.size()).isZero();

    cache.remember(desired("info", "c1"), live("7"), Comparison.inSync());
    cache.retain(Set.of(new ObjectKey("ConfigMap", "shop", "other")));
    assertThat(cache.size()).isZero();
  }

  @Test
  void hashesContentRegardlessOfKeyOrderAndCommitButNotOfValueTypes() {
    Map<String, Object> a = Map.of("data", Map.of("a", "1", "b", "2"), "kind", "ConfigMap");
    Map<String, Object> b =
        new java.util.LinkedHashMap<>(
            Map.of("kind", "ConfigMap", "data", Map.of("b", "2", "a", "1")));

    assertThat(ContentHash.of(a)).isEqualTo(ContentHash.of(b));
    assertThat(ContentHash.of(desired("info", "c1").spec()))
        .isEqualTo(ContentHash.of(desired("info", "c2").spec()));
    assertThat(ContentHash.of(Map.of("spec", Map.of("replicas", 1))))
        .isNotEqualTo(ContentHash.of(Map.of("spec", Map.of("replicas", "1"))));
    assertThat(ContentHash.of(Map.of("spec", List.of("a", "b"))))
        .isNotEqualTo(ContentHash.of(Map.of("spec", List.of("b", "a"))));
  }

  private static DesiredObject desired(String logLevel, String commit) {
    Map<String, Object> spec =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Map.of(
                "name", "web",
                "namespace", "shop",
                "annotations", Map.of(Labels.COMMIT, commit, "team", "a")),
            "data",
            Map.of("LOG_LEVEL", logLevel));
    return new DesiredObject(KEY, spec, new SourceLocation("web.yaml", 1), false);
  }

  private static LiveObject live(String resourceVersion) {
    return new LiveObject(KEY, Map.of(), Map.of(), resourceVersion, Ownership.OWNED);
  }
}
