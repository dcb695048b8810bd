package io.tidemark.model;

import java.time.Instant;
import java.util.Objects;

/** The Git commit a desired state was read from, as reports show it. */
public record RevisionInfo(String commit, String author, String message, Instant time) {

  public RevisionInfo {
    Objects.requireNonNull(commit, "commit");
    author = author == null ? "" : author;
    message = message == null ? "" : message;
  }

  public String shortCommit() {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
