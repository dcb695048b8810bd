package io.tidemark.source;

import io.tidemark.model.RevisionInfo;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A fetched commit, its tree checked out read-only on disk, and what the signature check said about
 * it ({@link SignatureVerdict#unchecked()} when signatures are not required).
 */
public record Revision(RevisionInfo info, Path tree, SignatureVerdict signature) {

  public Revision {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(signature, "signature");
  }

  /** A revision whose signature was not checked. */
  public Revision(RevisionInfo info, Path tree) {
    this(info, tree, SignatureVerdict.unchecked());
  }

  public String commit() {
    return info.commit();
  }
}
