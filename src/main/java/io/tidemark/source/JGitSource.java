package io.tidemark.source;

import io.tidemark.model.RevisionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jboss.logging.Logger;

/**
 * A {@link GitSource} on JGit: a bare clone under {@code <workDir>/git/}, incremental forced
 * fetches, and read-only checkouts under {@code <workDir>/checkouts/<commit>/}. Concurrent {@link
 * #sync()} calls share one fetch; a damaged clone is deleted and cloned again. When signatures are
 * required, a head commit without a trusted signature is never checked out nor made current.
 */
public final class JGitSource implements GitSource, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(JGitSource.class);

  private final GitSettings settings;
  private final FollowedRef ref;
  private final GitAuth auth;
  private final FetchErrors errors;
  private final BareClone clone;
  private final Checkouts checkouts;
  private final RevisionStore store;
  private final CommitVerifier verifier;
  private final AtomicReference<Revision> current = new AtomicReference<>();

  // Coalescing: a call is answered by the first sync that started after the call was made.
  private final ReentrantLock syncLock = new ReentrantLock();
  private final AtomicLong requested = new AtomicLong();
  private long answered; // guarded by syncLock
  private Revision lastResult; // guarded by syncLock
  private SourceException lastFailure; // guarded by syncLock

  public JGitSource(GitSettings settings) {
    this(settings, SignaturePolicy.off());
  }

  public JGitSource(GitSettings settings, SignaturePolicy signatures) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ref = settings.ref();
    this.auth = new GitAuth(settings);
    this.errors = new FetchErrors(settings);
    Path gitRoot = settings.workDir().resolve("git");
    this.clone = new BareClone(gitRoot, settings.url());
    this.checkouts = new Checkouts(settings.workDir().resolve("checkouts"));
    String name = clone.dir().getFileName().toString().replaceAll("\\.git$", "");
    this.store = new RevisionStore(gitRoot.resolve(name + ".revision"), ref.display());
    this.verifier = new CommitVerifier(signatures);
    store.load(checkouts).flatMap(this::stillTrusted).ifPresent(current::set);
  }

  @Override
  public Revision sync() throws SourceException {
    long ticket = requested.incrementAndGet();
    syncLock.lock();
    try {
      if (answered < ticket) {
        long covers = requested.get();
        try {
          lastResult = syncNow();
          lastFailure = null;
        } catch (SourceException e) {
          lastResult = null;
          lastFailure = e;
        }
        answered = covers;
      }
      if (lastFailure != null) {
        throw lastFailure;
      }
      return lastResult;
    } finally {
      syncLock.unlock();
    }
  }

  @Override
  public Optional<Revision> current() {
    return Optional.ofNullable(current.get());
  }

  /**
   * Checks out {@code commitId} from the local clone, without touching the network: how a restarted
   * service finds the last good revision of a target whose head does not render.
   */
  @Override
  public Optional<Revision> revision(String commitId) {
    syncLock.lock(); // a sync prunes checkouts: never while this one is being made
    try (Repository repo = clone.open();
        RevWalk walk = new RevWalk(repo)) {
      ObjectId id = findCommit(repo, commitId);
      if (id == null) {
        return Optional.empty();
      }
      RevCommit commit = walk.parseCommit(id);
      return Optional.of(new Revision(info(commit), checkouts.materialise(repo, commit)));
    } catch (IOException | SourceException | BrokenCloneException | RuntimeException e) {
      LOG.warnf("cannot check out %s of %s: %s", commitId, url(), e.getMessage());
      return Optional.empty();
    } finally {
      syncLock.unlock();
    }
  }

  @Override
  public String url() {
    return settings.url();
  }

  @Override
  public String ref() {
    return ref.display();
  }

  @Override
  public boolean tracks(String refName) {
    return refName != null && ref.isMovedBy(refName);
  }

  @Override
  public Optional<Set<String>> changedPaths(String fromCommit, String toCommit) {
    if (!ObjectId.isId(fromCommit) || !ObjectId.isId(toCommit)) {
      return Optional.empty();
    }
    if (fromCommit.equals(toCommit)) {
      return Optional.of(Set.of());
    }
    try (Repository repo = clone.open()) {
      return ChangedPaths.between(repo, fromCommit, toCommit);
    } catch (IOException | BrokenCloneException | RuntimeException e) {
      LOG.debugf("cannot diff %s..%s of %s: %s", fromCommit, toCommit, url(), e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    auth.close();
  }

  private Revision syncNow() throws SourceException {
    try {
      return attempt();
    } catch (BrokenCloneException e) {
      LOG.warnf(
          "local clone %s of %s is damaged (%s); deleting it and cloning again",
          clone.dir(), url(), errors.redact(String.valueOf(e.getMessage())));
      try {
        clone.delete();
        return attempt();
      } catch (IOException | BrokenCloneException again) {
        throw new SourceException(
            "local clone "
                + clone.dir()
                + " of "
                + url()
                + " is unusable: "
                + errors.redact(String.valueOf(again.getMessage())),
            again);
      }
    }
  }

  private Revision attempt() throws SourceException, BrokenCloneException {
    try (Repository repo = clone.open()) {
      fetch(repo);
      RevCommit commit = resolve(repo);
      Revision previous = current.get();
      boolean same = previous != null && previous.commit().equals(commit.name());
      // Trust before anything of the commit is written to disk: a refused head leaves the last
      // trusted revision current.
      SignatureVerdict verdict = same ? previous.signature() : verifier.verify(repo, commit);
      if (!verdict.accepted()) {
        throw new UntrustedRevisionException(info(commit), verdict);
      }
      logMove(repo, previous, commit);
      if (same && Files.isDirectory(previous.tree())) {
        return previous; // nothing moved: no checkout to make, store or prune
      }
      Path tree = checkouts.materialise(repo, commit);
      Revision revision = new Revision(info(commit), tree, verdict);
      store.save(revision);
      current.set(revision);
      checkouts.prune(tree);
      return revision;
    } catch (IOException | RuntimeException e) {
      if (BareClone.isLocalDamage(e)) {
        throw new BrokenCloneException(e.getMessage(), e);
      }
      throw new SourceException(
          "cannot check out "
              + ref.describe()
              + " of "
              + url()
              + ": "
              + errors.redact(String.valueOf(e.getMessage())),
          e);
    }
  }

  /**
   * The remembered revision, checked again when signatures are required: it may date from before
   * they were, or its key may have left the trusted files since.
   */
  private Optional<Revision> stillTrusted(Revision remembered) {
    if (!verifier.required()) {
      return Optional.of(remembered);
    }
    try (Repository repo = clone.open();
        RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(remembered.commit()));
      SignatureVerdict verdict = verifier.verify(repo, commit);
      if (verdict.accepted()) {
        return Optional.of(new Revision(remembered.info(), remembered.tree(), verdict));
      }
      LOG.warnf(
          "the remembered revision %s is not trusted (%s); waiting for a trusted one",
          remembered.info().shortCommit(), verdict.reason());
    } catch (IOException | BrokenCloneException | RuntimeException e) {
      LOG.warnf(
          "cannot check the signature of the remembered revision %s (%s); waiting for a fetch",
          remembered.info().shortCommit(), e.getMessage());
    }
    return Optional.empty();
  }

  private void fetch(Repository repo) throws IOException, SourceException, BrokenCloneException {
    // A commit never changes: once it is here, the network has nothing to add.
    if (ref instanceof FollowedRef.Commit pinned && findCommit(repo, pinned.id()) != null) {
      return;
    }
    try {
      clone.fetch(repo, url(), auth);
    } catch (GitAPIException | RuntimeException e) {
      if (BareClone.isLocalDamage(e)) {
        throw new BrokenCloneException(e.getMessage(), e);
      }
      throw errors.describe(e);
    }
    if (ref instanceof FollowedRef.Commit pinned
        && pinned.id().length() == Constants.OBJECT_ID_STRING_LENGTH
        && findCommit(repo, pinned.id()) == null) {
      // Not reachable from any branch or tag: some servers still serve it by id.
      try {
        clone.fetchCommit(repo, url(), pinned.id(), auth);
      } catch (GitAPIException | RuntimeException e) {
        LOG.debugf("fetching %s by id failed: %s", pinned.id(), e.getMessage());
      }
    }
  }

  private RevCommit resolve(Repository repo) throws IOException, SourceException {
    ObjectId id;
    if (ref instanceof FollowedRef.Commit pinned) {
      id = findCommit(repo, pinned.id());
    } else {
      String local =
          ref instanceof FollowedRef.Branch branch
              ? BareClone.REMOTE_BRANCHES + branch.name()
              : "refs/tags/" + ((FollowedRef.Tag) ref).name();
      Ref found = repo.exactRef(local);
      id = found == null ? null : found.getObjectId();
    }
    if (id == null) {
      throw new SourceException(ref.describe() + " not found in " + url());
    }
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(id);
    } catch (IncorrectObjectTypeException e) {
      throw new SourceException(ref.describe() + " of " + url() + " is not a commit", e);
    }
  }

  private ObjectId findCommit(Repository repo, String id) throws IOException, SourceException {
    try (ObjectReader reader = repo.newObjectReader()) {
      // A full id "resolves" even when absent, so keep only objects that are really here.
      List<ObjectId> matches = new ArrayList<>();
      for (ObjectId match : reader.resolve(AbbreviatedObjectId.fromString(id))) {
        if (reader.has(match)) {
          matches.add(match);
        }
      }
      if (matches.size() > 1) {
        throw new SourceException(ref.describe() + " is ambiguous in " + url());
      }
      return matches.isEmpty() ? null : matches.iterator().next();
    }
  }

  private void logMove(Repository repo, Revision previous, RevCommit commit) throws IOException {
    if (previous == null || previous.commit().equals(commit.name())) {
      return;
    }
    ObjectId old = ObjectId.fromString(previous.commit());
    boolean descends;
    try (RevWalk walk = new RevWalk(repo)) {
      descends =
          repo.getObjectDatabase().has(old)
              && walk.isMergedInto(walk.parseCommit(old), walk.parseCommit(commit));
    }
    if (descends || ref instanceof FollowedRef.Commit) {
      LOG.infof("%s of %s moved from %s to %s", ref.describe(), url(), abbrev(old), commit.name());
    } else {
      LOG.infof(
          "history of %s in %s was rewritten: %s does not descend from %s; following it",
          ref.describe(), url(), commit.name(), abbrev(old));
    }
  }

  private static String abbrev(ObjectId id) {
    return id.abbreviate(12).name();
  }

  private static RevisionInfo info(RevCommit commit) {
    return new RevisionInfo(
        commit.name(),
        commit.getAuthorIdent().getName(),
        commit.getShortMessage(),
        commit.getCommitterIdent().getWhenAsInstant());
  }
}
