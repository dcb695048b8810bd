package io.tidemark.source;

import io.tidemark.model.RevisionInfo;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * Remembers the last good revision of one remote and ref in a small properties file, so that a
 * restarted service knows it without touching the network: the newest fetched revision of a Git
 * source, and the newest revision each target rendered cleanly.
 */
public final class RevisionStore {

  private static final Logger LOG = Logger.getLogger(RevisionStore.class);

  private final Path file;
  private final String ref;

  public RevisionStore(Path file, String ref) {
    this.file = file;
    this.ref = ref;
  }

  /** The remembered revision, if it was for this ref and its checkout is still on disk. */
  Optional<Revision> load(Checkouts checkouts) {
    return info()
        .map(info -> new Revision(info, checkouts.pathOf(info.commit())))
        .filter(revision -> Files.isDirectory(revision.tree()));
  }

  /** The remembered revision, if there is one and it was for this ref. */
  public Optional<RevisionInfo> info() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
      String commit = props.getProperty("commit");
      if (commit == null || !ref.equals(props.getProperty("ref"))) {
        return Optional.empty();
      }
      String time = props.getProperty("time");
      return Optional.of(
          new RevisionInfo(
              commit,
              props.getProperty("author"),
              props.getProperty("message"),
              time == null ? null : Instant.parse(time)));
    } catch (IOException | RuntimeException e) {
      LOG.warnf("ignoring unreadable revision file %s: %s", file, e.getMessage());
      return Optional.empty();
    }
  }

  void save(Revision revision) throws IOException {
    save(revision.info());
  }

  public void save(RevisionInfo info) throws IOException {
    Properties props = new Properties();
    props.setProperty("ref", ref);
    props.setProperty("commit", info.commit());
    props.setProperty("author", info.author());
    props.setProperty("message", info.message());
    if (info.time() != null) {
      props.setProperty("time", info.time().toString());
    }
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      props.store(out, "last good revision of " + ref);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
