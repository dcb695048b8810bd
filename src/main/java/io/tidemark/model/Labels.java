package io.tidemark.model;

/** The labels (and Kubernetes annotations) by which Tidemark marks what it owns. */
public final class Labels {

  /** The target that owns an object; prune touches only objects carrying its own target here. */
  public static final String TARGET = "io.tidemark/target";

  /** The commit that last changed an object; not compared, so moving it alone is never a write. */
  public static final String COMMIT = "io.tidemark/commit";

  /** The file in the repository that declares an object. */
  public static final String SOURCE = "io.tidemark/source";

  /** The Swarm stack an object belongs to, as {@code docker stack deploy} sets it. */
  public static final String STACK_NAMESPACE = "com.docker.stack.namespace";

  private Labels() {}
}
