package io.tidemark.reconcile;

import io.tidemark.model.Trigger;
import java.util.List;

/** Takes a verified push notification and starts the reconciles it concerns, at once. */
public interface PushListener {

  /**
   * A push moved {@code ref} (as {@code refs/heads/main} or {@code refs/tags/v1}). When the Git
   * source follows that ref, every target fed by it is asked to reconcile now (coalescing with runs
   * already under way) and their names are returned; otherwise nothing happens and the list is
   * empty.
   */
  List<String> pushed(String ref, Trigger trigger);
}
