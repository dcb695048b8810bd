package io.tidemark.reconcile;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A target's sync windows, as Argo CD has them: while any deny window is active, applies are held;
 * when allow windows exist, applies run only while one of them is active. Held runs still detect
 * and report drift. Pure: the caller passes the instant.
 */
public final class SyncWindows {

  private static final SyncWindows NONE = new SyncWindows(List.of());

  private final List<Window> windows;
  private final List<ExecutionTime> starts;

  public SyncWindows(List<Window> windows) {
    this.windows = List.copyOf(windows);
    this.starts = this.windows.stream().map(w -> ExecutionTime.forCron(w.cron())).toList();
  }

  public static SyncWindows none() {
    return NONE;
  }

  public List<Window> windows() {
    return windows;
  }

  /** Whether an apply may run at {@code now}, and if not, the sentence that says why. */
  public Verdict at(Instant now) {
    for (int i = 0; i < windows.size(); i++) {
      Window window = windows.get(i);
      Optional<Instant> until = activeUntil(i, now);
      if (window.kind() == Kind.DENY && until.isPresent()) {
        return Verdict.held(
            "apply held by sync window " + i + " (" + window + ", until " + until.get() + ")");
      }
    }
    List<Integer> allows = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      if (windows.get(i).kind() == Kind.ALLOW) {
        if (activeUntil(i, now).isPresent()) {
          return Verdict.ALLOWED;
        }
        allows.add(i);
      }
    }
    if (allows.isEmpty()) {
      return Verdict.ALLOWED;
    }
    int first = allows.get(0);
    Instant opens = null;
    for (int i : allows) {
      Optional<Instant> next = nextStart(i, now);
      if (next.isPresent() && (opens == null || next.get().isBefore(opens))) {
        opens = next.get();
        first = i;
      }
    }
    return Verdict.held(
        "apply held by sync windows: no allow window is active"
            + (opens == null
                ? ""
                : " (window " + first + ", " + windows.get(first) + ", opens " + opens + ")"));
  }

  /** When window {@code i} closes, if it is open at {@code now}. */
  private Optional<Instant> activeUntil(int i, Instant now) {
    Window window = windows.get(i);
    // cron-utils' lastExecution is strictly before its argument: ask just after this second, so
    // that a window starting exactly now counts as open.
    ZonedDateTime probe = now.atZone(window.zone()).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    return starts
        .get(i)
        .lastExecution(probe)
        .map(start -> start.toInstant().plus(window.duration()))
        .filter(end -> end.isAfter(now));
  }

  private Optional<Instant> nextStart(int i, Instant now) {
    return starts
        .get(i)
        .nextExecution(now.atZone(windows.get(i).zone()))
        .map(ZonedDateTime::toInstant);
  }

  /** Allow windows let applies run; deny windows hold them. */
  public enum Kind {
    ALLOW,
    DENY
  }

  /** Whether applies may run now, and otherwise why not (for the report's note). */
  public record Verdict(boolean applyAllowed, String reason) {
    static final Verdict ALLOWED = new Verdict(true, "");

    public Verdict {
      Objects.requireNonNull(reason, "reason");
    }

    static Verdict held(String reason) {
      return new Verdict(false, reason);
    }
  }

  /**
   * One window: opens at each time the cron {@code schedule} names (Unix, 5 fields, or Quartz, 6 or
   * 7 fields with seconds) in {@code zone}, and stays open for {@code duration}.
   */
  public record Window(Kind kind, String schedule, Duration duration, ZoneId zone) {

    public Window {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(zone, "zone");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("sync window duration must be positive: " + duration);
      }
      schedule = schedule.trim().replaceAll("\\s+", " ");
      parse(schedule);
    }

    Cron cron() {
      return parse(schedule);
    }

    private static Cron parse(String schedule) {
      int fields = schedule.split(" ").length;
      CronType type = fields == 5 ? CronType.UNIX : CronType.QUARTZ;
      try {
        return new CronParser(CronDefinitionBuilder.instanceDefinitionFor(type))
            .parse(schedule)
            .validate();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid sync window schedule '" + schedule + "': " + e.getMessage(), e);
      }
    }

    @Override
    public String toString() {
      String length = duration.toString().substring(2).toLowerCase(Locale.ROOT);
      return kind.name().toLowerCase(Locale.ROOT)
          + " '"
          + schedule
          + "' for "
          + length
          + " "
          + zone.getId();
    }
  }
}
