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
 * restarted service knows it without touching the network.
 */
final class RevisionStore {

  private static final Logger LOG = Logger.getLogger(RevisionStore.class);

  private final Path file;
  private final String ref;

  RevisionStore(Path file, String ref) {
    this.file = file;
    this.ref = ref;
  }

  /** The remembered revision, if it was for this ref and its checkout is still on disk. */
  Optional<Revision> load(Checkouts checkouts) {
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
      Path tree = checkouts.pathOf(commit);
      if (!Files.isDirectory(tree)) {
        return Optional.empty();
      }
      String time = props.getProperty("time");
      RevisionInfo info =
          new RevisionInfo(
              commit,
              props.getProperty("author"),
              props.getProperty("message"),
              time == null ? null : Instant.parse(time));
      return Optional.of(new Revision(info, tree));
    } catch (IOException | RuntimeException e) {
      LOG.warnf("ignoring unreadable revision file %s: %s", file, e.getMessage());
      return Optional.empty();
    }
  }

  void save(Revision revision) throws IOException {
    Properties props = new Properties();
    props.setProperty("ref", ref);
    props.setProperty("commit", revision.commit());
    props.setProperty("author", revision.info().author());
    props.setProperty("message", revision.info().message());
    if (revision.info().time() != null) {
      props.setProperty("time", revision.info().time().toString());
    }
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      props.store(out, "last good revision of " + ref);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
