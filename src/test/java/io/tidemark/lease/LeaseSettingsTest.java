package io.tidemark.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lease settings keep client-go's timing rules and find the pod's namespace. */
class LeaseSettingsTest {

  @TempDir Path dir;

  @Test
  void acceptsTheDefaultTimings() {
    LeaseSettings settings =
        new LeaseSettings(
            "tidemark-leader",
            "ops",
            "pod-1",
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(2));

    assertThat(settings.identity()).isEqualTo("pod-1");
  }

  @Test
  void refusesARenewDeadlineThatIsNotShorterThanTheLeaseDuration() {
    assertThatThrownBy(
            () -> settings(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
        .hasMessageContaining("lease-duration must be longer than renew-deadline");
  }

  @Test
  void refusesARetryPeriodTooCloseToTheRenewDeadline() {
    assertThatThrownBy(
            () -> settings(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(2)))
        .hasMessageContaining("renew-deadline must be longer than 1.2 x retry-period");
  }

  @Test
  void readsThePodNamespaceFromTheServiceAccountFileElseDefault() throws Exception {
    Path file = dir.resolve("namespace");
    assertThat(LeaseSettings.podNamespace(file)).isEqualTo("default");

    Files.writeString(file, "tidemark-system\n");

    assertThat(LeaseSettings.podNamespace(file)).isEqualTo("tidemark-system");
  }

  private static LeaseSettings settings(Duration lease, Duration renew, Duration retry) {
    return new LeaseSettings("l", "ns", "me", lease, renew, retry);
  }
}
