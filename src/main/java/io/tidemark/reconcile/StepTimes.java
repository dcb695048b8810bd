package io.tidemark.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;

/**
 * How long each step of one reconcile took, for a DEBUG line that shows where a run's time goes.
 */
final class StepTimes {

  private final Clock clock;
  private final StringJoiner steps = new StringJoiner(" ");
  private Instant last;

  StepTimes(Clock clock) {
    this.clock = clock;
    this.last = clock.instant();
  }

  /** Ends the step called {@code name} now. */
  void mark(String name) {
    Instant now = clock.instant();
    steps.add(name + "=" + Duration.between(last, now).toMillis() + "ms");
    last = now;
  }

  @Override
  public String toString() {
    return steps.toString();
  }
}
