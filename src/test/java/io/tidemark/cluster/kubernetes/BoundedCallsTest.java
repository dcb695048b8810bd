package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.model.Change;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bounded concurrent calls, and the waves of a plan that may be written at once. */
class BoundedCallsTest {

  @Test
  void runsUpToTheLimitAtOnceAndAnswersInInputOrder() {
    BoundedCalls calls = new BoundedCalls("test", 3);
    CountDownLatch three = new CountDownLatch(3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Integer> items = IntStream.range(0, 12).boxed().toList();

    List<String> answers =
        calls.map(
            items,
            i -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              three.countDown();
              try {
                // Only returns early when three calls are in flight together.
                boolean together = three.await(10, TimeUnit.SECONDS);
                return i + (together ? "" : " alone");
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              } finally {
                running.decrementAndGet();
              }
            });

    assertThat(answers).containsExactlyElementsOf(items.stream().map(String::valueOf).toList());
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void aLimitOfOneRunsOnTheCallersThread() {
    Thread caller = Thread.currentThread();

    List<Boolean> same =
        new BoundedCalls("test", 1).map(List.of(1, 2), i -> Thread.currentThread() == caller);

    assertThat(same).containsExactly(true, true);
  }

  @Test
  void anUncheckedFailureOfOneCallEndsTheStep() {
    BoundedCalls calls = new BoundedCalls("test", 2);

    assertThatThrownBy(
            () ->
                calls.map(
                    List.of(1, 2, 3),
                    i -> {
                      if (i == 2) {
                        throw new IllegalArgumentException("two");
                      }
                      return i;
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two");
  }

  @Test
  void refusesALimitUnderOne() {
    assertThatThrownBy(() -> new BoundedCalls("test", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }

  @Test
  void aPlanIsCutIntoWavesOfOneKindRankAndDirection() {
    List<Change> plan =
        List.of(
            create(ObjectKey.of("Namespace", "shop")),
            create(ObjectKey.of("CustomResourceDefinition.apiextensions.k8s.io", "bs.ops.io")),
            create(new ObjectKey("ConfigMap", "shop", "a")),
            create(new ObjectKey("ConfigMap", "shop", "b")),
            create(new ObjectKey("Deployment.apps", "shop", "web")),
            create(new ObjectKey("Service", "shop", "web")),
            create(new ObjectKey("BackupSchedule.ops.io", "shop", "nightly")),
            create(new ObjectKey("NetworkPolicy.networking.k8s.io", "shop", "allow")),
            delete(new ObjectKey("Service", "shop", "old")),
            delete(new ObjectKey("ConfigMap", "shop", "old")),
            delete(new ObjectKey("ConfigMap", "shop", "older")));

    List<List<Change>> waves = KubernetesApplier.waves(plan);

    assertThat(waves)
        .extracting(wave -> wave.stream().map(c -> c.key().name()).toList())
        .containsExactly(
            List.of("shop"),
            List.of("bs.ops.io"),
            List.of("a", "b"),
            List.of("web"),
            List.of("web"),
            List.of("nightly", "allow"),
            List.of("old"),
            List.of("old", "older"));
  }

  private static Change create(ObjectKey key) {
    return Change.create(new DesiredObject(key, Map.of(), new SourceLocation("x.yaml", 1), false));
  }

  private static Change delete(ObjectKey key) {
    return Change.delete(new LiveObject(key, Map.of(), Map.of(), "1", Ownership.OWNED));
  }
}
