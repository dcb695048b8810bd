package io.tidemark.reconcile;

import java.util.concurrent.Executor;

/**
 * An executor that starts urgent tasks before the ordinary ones already waiting: a run a push or a
 * person asked for goes ahead of queued drift checks.
 */
interface RankedExecutor extends Executor {

  /** Runs {@code task}, ahead of every waiting ordinary task when {@code urgent}. */
  void execute(Runnable task, boolean urgent);

  @Override
  default void execute(Runnable task) {
    execute(task, false);
  }

  /** {@code plain} seen as ranked: it runs tasks in its own order, urgent or not. */
  static RankedExecutor of(Executor plain) {
    return plain instanceof RankedExecutor ranked ? ranked : (task, urgent) -> plain.execute(task);
  }
}
