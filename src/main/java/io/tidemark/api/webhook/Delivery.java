package io.tidemark.api.webhook;

import java.util.List;
import java.util.Objects;

/**
 * What a verified delivery says: a push of one or more refs, a ping, or another event that Tidemark
 * ignores.
 */
public record Delivery(Kind kind, String event, List<RefPush> pushes) {

  public Delivery {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(event, "event");
    pushes = List.copyOf(pushes);
    if (kind != Kind.PUSH && !pushes.isEmpty()) {
      throw new IllegalArgumentException("only a push names refs");
    }
  }

  public static Delivery push(String event, List<RefPush> pushes) {
    return new Delivery(Kind.PUSH, event, pushes);
  }

  public static Delivery ping(String event) {
    return new Delivery(Kind.PING, event, List.of());
  }

  public static Delivery other(String event) {
    return new Delivery(Kind.OTHER, event, List.of());
  }

  /** The closed set of delivery kinds. */
  public enum Kind {
    PUSH,
    PING,
    OTHER
  }

  /**
   * One ref a push moved (as {@code refs/heads/main}), the commit it moved to, if known, and the
   * URLs by which the payload names the repository (clone, web, SSH; empty when it names none).
   */
  public record RefPush(String ref, String commit, List<String> repository) {

    public RefPush {
      Objects.requireNonNull(ref, "ref");
      if (ref.isBlank()) {
        throw new IllegalArgumentException("ref must not be blank");
      }
      commit = commit == null ? "" : commit;
      repository =
          repository == null
              ? List.of()
              : repository.stream().filter(u -> u != null && !u.isBlank()).toList();
    }

    public RefPush(String ref, String commit) {
      this(ref, commit, List.of());
    }
  }
}
