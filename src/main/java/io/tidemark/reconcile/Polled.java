package io.tidemark.reconcile;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

/** Something the leader schedules on a timer: a repository's fetch or a target's drift check. */
interface Polled {

  /**
   * Starts the periodic work on {@code timer}.
   *
   * @return the scheduled task, to cancel it; empty when this never polls
   */
  Optional<ScheduledFuture<?>> schedule(ScheduledExecutorService timer);
}
