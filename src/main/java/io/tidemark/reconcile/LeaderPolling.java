package io.tidemark.reconcile;

import io.tidemark.lease.Leadership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Polls every repository and checks every target for drift while this replica leads and not at all
 * otherwise: schedules the targets' polls when leadership is gained and cancels them when it is
 * lost. A reconcile already running when leadership is lost finishes (it is resumable; cutting it
 * off would leave half an apply).
 */
final class LeaderPolling implements Leadership.Listener {

  private static final Logger LOG = Logger.getLogger(LeaderPolling.class);

  private final Supplier<? extends Collection<? extends Polled>> runners;
  private final ScheduledExecutorService timer;
  private final List<ScheduledFuture<?>> polls = new ArrayList<>();

  LeaderPolling(
      Supplier<? extends Collection<? extends Polled>> runners, ScheduledExecutorService timer) {
    this.runners = Objects.requireNonNull(runners, "runners");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  @Override
  public synchronized void becameLeader() {
    if (!polls.isEmpty()) {
      return;
    }
    for (Polled runner : runners.get()) {
      runner.schedule(timer).ifPresent(polls::add);
    }
    LOG.debugf("leading: polling %d targets", polls.size());
  }

  @Override
  public synchronized void lostLeadership() {
    polls.forEach(poll -> poll.cancel(false));
    if (!polls.isEmpty()) {
      LOG.infof("not leading: stopped polling %d targets", polls.size());
    }
    polls.clear();
  }

  synchronized boolean polling() {
    return !polls.isEmpty();
  }
}
