package io.tidemark.reconcile;

import io.tidemark.source.GitSource;
import io.tidemark.source.Revision;
import io.tidemark.source.SourceException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link GitSource} that remembers how its last fetch went, for readiness and the status page.
 */
public final class ObservedSource implements GitSource {

  private final GitSource delegate;
  private final Clock clock;
  private volatile String lastError = "";
  private volatile Instant lastSuccess;

  public ObservedSource(GitSource delegate, Clock clock) {
    this.delegate = delegate;
    this.clock = clock;
  }

  @Override
  public Revision sync() throws SourceException {
    try {
      Revision revision = delegate.sync();
      lastError = "";
      lastSuccess = clock.instant();
      return revision;
    } catch (SourceException e) {
      lastError = e.getMessage();
      throw e;
    }
  }

  @Override
  public Optional<Revision> current() {
    return delegate.current();
  }

  @Override
  public Optional<Revision> revision(String commit) {
    return delegate.revision(commit);
  }

  @Override
  public String url() {
    return delegate.url();
  }

  @Override
  public String ref() {
    return delegate.ref();
  }

  @Override
  public boolean tracks(String refName) {
    return delegate.tracks(refName);
  }

  @Override
  public Optional<java.util.Set<String>> changedPaths(String fromCommit, String toCommit) {
    return delegate.changedPaths(fromCommit, toCommit);
  }

  GitSource delegate() {
    return delegate;
  }

  /** The message of the last failed fetch, or empty when the last fetch succeeded. */
  public String lastError() {
    return lastError;
  }

  /** When a fetch last succeeded, or null if none has since start. */
  public Instant lastSuccess() {
    return lastSuccess;
  }
}
