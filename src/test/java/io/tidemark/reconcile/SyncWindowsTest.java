package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.reconcile.SyncWindows.Kind;
import io.tidemark.reconcile.SyncWindows.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncWindowsTest {

  private static final ZoneId UTC = ZoneId.of("UTC");

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void withoutWindowsApplyIsAlwaysAllowed() {
    assertThat(SyncWindows.none().at(at("2025-03-01T12:00:00Z")).applyAllowed()).isTrue();
  }

  @Test
  void aDenyWindowHoldsApplyFromItsStartForItsDurationOnly() {
    SyncWindows windows =
        new SyncWindows(List.of(new Window(Kind.DENY, "0 22 * * *", Duration.ofHours(2), UTC)));

    assertThat(windows.at(at("2025-03-01T21:59:59Z")).applyAllowed()).isTrue();
    assertThat(windows.at(at("2025-03-01T22:00:00Z")))
        .isEqualTo(
            new SyncWindows.Verdict(
                false,
                "apply held by sync window 0 (deny '0 22 * * *' for 2h UTC,"
                    + " until 2025-03-02T00:00:00Z)"));
    assertThat(windows.at(at("2025-03-01T23:59:59.999Z")).applyAllowed()).isFalse();
    assertThat(windows.at(at("2025-03-02T00:00:00Z")).applyAllowed()).isTrue();
  }

  @Test
  void allowWindowsLetApplyRunOnlyWhileOneIsOpenInItsTimeZone() {
    // 09:00 to 17:00 in Paris on weekdays; in March 2025 Paris is UTC+1 until the 30th.
    SyncWindows windows =
        new SyncWindows(
            List.of(
                new Window(
                    Kind.ALLOW, "0 9 * * 1-5", Duration.ofHours(8), ZoneId.of("Europe/Paris"))));

    assertThat(windows.at(at("2025-03-03T08:00:00Z")).applyAllowed()).isTrue(); // Monday 09:00
    assertThat(windows.at(at("2025-03-03T15:59:59Z")).applyAllowed()).isTrue();
    assertThat(windows.at(at("2025-03-03T16:00:00Z")).applyAllowed()).isFalse();
    assertThat(windows.at(at("2025-03-03T07:59:00Z")).reason())
        .isEqualTo(
            "apply held by sync windows: no allow window is active (window 0, allow"
                + " '0 9 * * 1-5' for 8h Europe/Paris, opens 2025-03-03T08:00:00Z)");
    assertThat(windows.at(at("2025-03-01T10:00:00Z")).reason()) // Saturday
        .endsWith("opens 2025-03-03T08:00:00Z)");
  }

  @Test
  void anActiveDenyWindowWinsOverAnActiveAllowWindow() {
    SyncWindows windows =
        new SyncWindows(
            List.of(
                new Window(Kind.ALLOW, "0 0 * * *", Duration.ofHours(24), UTC),
                new Window(Kind.DENY, "30 12 * * *", Duration.ofMinutes(30), UTC)));

    assertThat(windows.at(at("2025-03-01T12:29:00Z")).applyAllowed()).isTrue();
    assertThat(windows.at(at("2025-03-01T12:45:00Z")).reason())
        .startsWith("apply held by sync window 1 (deny '30 12 * * *' for 30m UTC,")
        .endsWith("until 2025-03-01T13:00:00Z)");
    assertThat(windows.at(at("2025-03-01T13:00:00Z")).applyAllowed()).isTrue();
  }

  @Test
  void quartzSchedulesWithSecondsAreReadToo() {
    SyncWindows windows =
        new SyncWindows(
            List.of(new Window(Kind.DENY, "0 30 22 ? * MON-FRI", Duration.ofMinutes(45), UTC)));

    assertThat(windows.at(at("2025-03-03T22:40:00Z")).applyAllowed()).isFalse(); // Monday
    assertThat(windows.at(at("2025-03-01T22:40:00Z")).applyAllowed()).isTrue(); // Saturday
  }

  @Test
  void aWindowLongerThanItsPeriodIsAlwaysOpen() {
    SyncWindows windows =
        new SyncWindows(List.of(new Window(Kind.DENY, "0 * * * *", Duration.ofHours(2), UTC)));

    assertThat(windows.at(at("2025-03-01T12:00:00Z")).reason())
        .endsWith("until 2025-03-01T14:00:00Z)");
    assertThat(windows.at(at("2025-03-01T12:59:59Z")).reason())
        .endsWith("until 2025-03-01T14:00:00Z)");
  }

  @Test
  void anInvalidScheduleOrDurationIsRefusedWithTheReason() {
    assertThatThrownBy(() -> new Window(Kind.DENY, "61 * * * *", Duration.ofHours(1), UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid sync window schedule '61 * * * *'");
    assertThatThrownBy(() -> new Window(Kind.DENY, "0 22 * * *", Duration.ZERO, UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration must be positive");
  }
}
