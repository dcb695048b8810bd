package io.tidemark.desired;

import io.tidemark.model.DesiredState;
import io.tidemark.model.RevisionInfo;
import java.nio.file.Path;

/** Reads one target's folder of a revision into its desired objects, all or nothing. */
public interface DesiredStateLoader {

  /**
   * @param repoRoot the revision's tree on disk; nothing outside it may be read
   * @param folder the target's folder, relative to {@code repoRoot}
   * @param revision the commit being read, for ownership labels
   * @throws InvalidRevisionException with every error found, when anything does not parse or
   *     validate
   */
  DesiredState load(Path repoRoot, String folder, RevisionInfo revision)
      throws InvalidRevisionException;
}
