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

  /**
   * A push moved {@code ref} of the repository the payload names by {@code urls} (its clone, web
   * and SSH URLs; empty when the payload names none, which matches every repository). Only the
   * repositories whose URL matches are concerned; by default, as {@link #pushed(String, Trigger)}.
   */
  default List<String> pushed(List<String> urls, String ref, Trigger trigger) {
    return pushed(ref, trigger);
  }

  /**
   * Whether some repository followed here is moved by that push, even when no target's files
   * changed; by default, whether {@link #pushed(String, Trigger)} would start anything.
   */
  default boolean follows(List<String> urls, String ref) {
    return false;
  }
}
