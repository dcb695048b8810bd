package io.tidemark.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps what was last told about each target in one small JSON file under the data directory, so
 * that a restarted service does not tell the same drift, failure or degraded health twice. It holds
 * fingerprints (digests) and result names only, never object contents.
 */
public final class NotifiedStore {

  private static final Logger LOG = Logger.getLogger(NotifiedStore.class);

  /** What was last told about one target; null fields mean nothing pending is told. */
  public record Told(String drift, String failure, RunResult failedWith, String health) {}

  private final Optional<Path> file;
  private final ObjectMapper json;

  /**
   * @param file where to keep it; empty keeps nothing (the CLI, tests)
   */
  public NotifiedStore(Optional<Path> file, ObjectMapper json) {
    this.file = file;
    this.json = json;
  }

  public Map<String, Told> load() {
    if (file.isEmpty() || !Files.isRegularFile(file.get())) {
      return Map.of();
    }
    try {
      return json.readValue(file.get().toFile(), new TypeReference<Map<String, Told>>() {});
    } catch (IOException e) {
      LOG.warnf("ignoring unreadable notification memory %s: %s", file.get(), e.getMessage());
      return Map.of();
    }
  }

  public void save(Map<String, Told> told) {
    if (file.isEmpty()) {
      return;
    }
    Path path = file.get();
    try {
      Files.createDirectories(path.getParent());
      Path temp = path.resolveSibling(path.getFileName() + ".tmp");
      json.writeValue(temp.toFile(), told);
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warnf("cannot save notification memory %s: %s", path, e.getMessage());
    }
  }
}
