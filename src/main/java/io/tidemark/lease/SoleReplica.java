package io.tidemark.lease;

import java.util.Objects;

/** The leadership of a replica that runs alone (leader election off): it always leads. */
public final class SoleReplica implements Leadership {

  private volatile Listener listener;

  @Override
  public void start(Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    listener.becameLeader();
  }

  @Override
  public boolean leading() {
    return listener != null;
  }

  @Override
  public void close() {
    Listener last = listener;
    listener = null;
    if (last != null) {
      last.lostLeadership();
    }
  }
}
