package io.tidemark.api.webhook;

import io.tidemark.model.Trigger;
import io.tidemark.reconcile.PushListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test stand-in for the reconciler's push listener: records every call and follows only {@code
 * refs/heads/main} (target "swarm"). Active only where a test profile enables it.
 */
@Alternative
@ApplicationScoped
public class RecordingPushListener implements PushListener {

  /** One recorded call. */
  public record Call(String ref, Trigger trigger) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  @Override
  public List<String> pushed(String ref, Trigger trigger) {
    calls.add(new Call(ref, trigger));
    return ref.equals("refs/heads/main") ? List.of("swarm") : List.of();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public void clear() {
    calls.clear();
  }
}
