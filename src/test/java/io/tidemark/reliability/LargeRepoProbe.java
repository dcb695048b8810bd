package io.tidemark.reliability;

import io.tidemark.cluster.swarm.SwarmStackLoader;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.model.DesiredState;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.JGitSource;
import io.tidemark.source.Revision;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a child JVM with a small heap: fetches a repository and renders its {@code swarm} folder
 * as the pipeline does, then prints what it got. A heap too small to hold a large file of the
 * repository proves the file was never held whole.
 */
public final class LargeRepoProbe {

  private LargeRepoProbe() {}

  /** Arguments: remote URL, data directory. Exit 0 when loaded, 2 when rejected, 1 on failure. */
  public static void main(String[] args) throws Exception {
    try (JGitSource source =
        new JGitSource(GitSettings.of(args[0], FollowedRef.branch("main"), Path.of(args[1])))) {
      Revision revision = source.sync();
      System.out.println("commit " + revision.commit());
      try {
        DesiredState state =
            new SwarmStackLoader("rel", "tmrelp", Map.of())
                .load(revision.tree(), "swarm", revision.info());
        System.out.println("loaded " + state.objects().size() + " objects");
      } catch (InvalidRevisionException e) {
        e.errors().forEach(error -> System.out.println("error " + error));
        System.exit(2);
      }
    }
    Runtime runtime = Runtime.getRuntime();
    System.out.println("max heap " + runtime.maxMemory() / (1024 * 1024) + " MiB");
  }
}
