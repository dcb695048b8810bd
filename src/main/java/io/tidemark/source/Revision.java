package io.tidemark.source;

import io.tidemark.model.RevisionInfo;
import java.nio.file.Path;
import java.util.Objects;

/** A fetched commit and its tree, checked out read-only on disk. */
public record Revision(RevisionInfo info, Path tree) {

  public Revision {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(tree, "tree");
  }

  public String commit() {
    return info.commit();
  }
}
