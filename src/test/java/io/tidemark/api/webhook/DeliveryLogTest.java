package io.tidemark.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {

  @Test
  void knowsADeliveryIdOnlyOnce() {
    DeliveryLog log = new DeliveryLog(10);
    assertThat(log.remember(Provider.GITHUB, "a")).isTrue();
    assertThat(log.remember(Provider.GITHUB, "a")).isFalse();
  }

  @Test
  void keepsEachProvidersIdsApart() {
    DeliveryLog log = new DeliveryLog(10);
    assertThat(log.remember(Provider.GITHUB, "same")).isTrue();
    assertThat(log.remember(Provider.GITEA, "same")).isTrue();
  }

  @Test
  void forgetsTheOldestIdBeyondItsCapacity() {
    DeliveryLog log = new DeliveryLog(3);
    for (String id : List.of("1", "2", "3", "4")) {
      assertThat(log.remember(Provider.GITLAB, id)).isTrue();
    }
    assertThat(log.remember(Provider.GITLAB, "4")).isFalse();
    assertThat(log.remember(Provider.GITLAB, "1")).as("evicted, so new again").isTrue();
  }

  @Test
  void letsAForgottenIdThroughAgain() {
    DeliveryLog log = new DeliveryLog(10);
    log.remember(Provider.BITBUCKET, "x");
    log.forget(Provider.BITBUCKET, "x");
    assertThat(log.remember(Provider.BITBUCKET, "x")).isTrue();
  }

  @Test
  void letsExactlyOneOfManyConcurrentRedeliveriesThrough() throws Exception {
    DeliveryLog log = new DeliveryLog(DeliveryLog.DEFAULT_CAPACITY);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tasks.add(
            () -> {
              start.await();
              return log.remember(Provider.GENERIC, "race");
            });
      }
      List<Future<Boolean>> results = new ArrayList<>();
      for (Callable<Boolean> task : tasks) {
        results.add(pool.submit(task));
      }
      start.countDown();
      int firsts = 0;
      for (Future<Boolean> result : results) {
        firsts += result.get() ? 1 : 0;
      }
      assertThat(firsts).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
