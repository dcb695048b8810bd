package io.tidemark.api.webhook;

import java.util.Locale;

/** What became of one webhook request; used unchanged as metric tag, log word and HTTP status. */
public enum Outcome {
  TRIGGERED(202),
  IGNORED(200),
  DUPLICATE(200),
  UNAUTHORIZED(401),
  DISABLED(404),
  TOO_LARGE(413),
  BAD_REQUEST(400);

  private final int status;

  Outcome(int status) {
    this.status = status;
  }

  /** The HTTP status this outcome answers with. */
  public int status() {
    return status;
  }

  /** The lower-case name used in metric tags and logs. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
