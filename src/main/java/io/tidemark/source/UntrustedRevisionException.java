package io.tidemark.source;

import io.tidemark.model.RevisionInfo;
import java.util.Objects;

/**
 * The followed ref points at a commit that signatures-required refuses: unsigned, badly signed or
 * signed by an untrusted key. The message names the commit, who signed it and why it is refused.
 */
public final class UntrustedRevisionException extends SourceException {

  private final RevisionInfo revision;
  private final SignatureVerdict verdict;

  public UntrustedRevisionException(RevisionInfo revision, SignatureVerdict verdict) {
    super(message(revision, verdict));
    this.revision = Objects.requireNonNull(revision, "revision");
    this.verdict = Objects.requireNonNull(verdict, "verdict");
  }

  /** The refused commit. */
  public RevisionInfo revision() {
    return revision;
  }

  public SignatureVerdict verdict() {
    return verdict;
  }

  private static String message(RevisionInfo revision, SignatureVerdict verdict) {
    return "commit "
        + revision.commit()
        + " (\""
        + revision.message()
        + "\" by "
        + revision.author()
        + ") is refused: signed by "
        + verdict.signedBy()
        + "; "
        + verdict.reason();
  }
}
