package io.tidemark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jboss.logging.Logger;

/**
 * The durable history of drift reports: one JSON file per run under {@code
 * <data-dir>/reports/<target>/}, written to a temporary file and renamed into place, so a crash
 * mid-write never leaves a torn report. Bounded by count and age per target; an unreadable file
 * found at start is set aside, not fatal.
 */
public final class ReportStore implements RunListener {

  private static final Logger LOG = Logger.getLogger(ReportStore.class);
  private static final String SUFFIX = ".json";

  private final Path root;
  private final ObjectMapper json;
  private final int maxRuns;
  private final Duration maxAge;
  private final Clock clock;

  /** Per target, file names (which sort by start time) to run ids. */
  private final Map<String, NavigableMap<String, String>> index = new ConcurrentHashMap<>();

  private final Map<String, DriftReport> latest = new ConcurrentHashMap<>();

  public ReportStore(Path root, ObjectMapper json, int maxRuns, Duration maxAge, Clock clock) {
    this.root = root;
    this.json = json;
    this.maxRuns = maxRuns;
    this.maxAge = maxAge;
    this.clock = clock;
    load();
  }

  @Override
  public void completed(DriftReport report) {
    try {
      save(report);
    } catch (IOException e) {
      LOG.errorf("could not store report %s of target %s: %s", report.id(), report.target(), e);
    }
  }

  /** Runs of a target, newest first, started strictly before {@code before} when given. */
  public List<DriftReport> runs(String target, int limit, Instant before) {
    NavigableMap<String, String> files = index.getOrDefault(target, new ConcurrentSkipListMap<>());
    NavigableMap<String, String> window =
        before == null
            ? files.descendingMap()
            : files.headMap(fileKey(before), false).descendingMap();
    List<DriftReport> out = new ArrayList<>();
    for (String file : window.keySet()) {
      if (out.size() >= limit) {
        break;
      }
      read(target, file).ifPresent(out::add);
    }
    return out;
  }

  public Optional<DriftReport> run(String target, String id) {
    NavigableMap<String, String> files = index.getOrDefault(target, new ConcurrentSkipListMap<>());
    return files.entrySet().stream()
        .filter(e -> e.getValue().equals(id))
        .findFirst()
        .flatMap(e -> read(target, e.getKey()));
  }

  /** The newest report of a target, also across restarts. */
  public Optional<DriftReport> latest(String target) {
    DriftReport cached = latest.get(target);
    if (cached != null) {
      return Optional.of(cached);
    }
    List<DriftReport> newest = runs(target, 1, null);
    newest.forEach(r -> latest.put(target, r));
    return newest.stream().findFirst();
  }

  private synchronized void save(DriftReport report) throws IOException {
    Path dir = root.resolve(safe(report.target()));
    Files.createDirectories(dir);
    String file = fileKey(report.startedAt()) + "-" + safe(report.id()) + SUFFIX;
    Path tmp = Files.createTempFile(dir, ".report-", ".tmp");
    try {
      json.writeValue(tmp.toFile(), report);
      moveAtomically(tmp, dir.resolve(file));
    } finally {
      Files.deleteIfExists(tmp);
    }
    index
        .computeIfAbsent(report.target(), t -> new ConcurrentSkipListMap<>())
        .put(file, report.id());
    latest.put(report.target(), report);
    trim(report.target(), dir);
  }

  private void trim(String target, Path dir) throws IOException {
    NavigableMap<String, String> files = index.get(target);
    String oldestKept = fileKey(clock.instant().minus(maxAge));
    while (files.size() > 1
        && (files.size() > maxRuns || files.firstKey().compareTo(oldestKept) < 0)) {
      String gone = files.pollFirstEntry().getKey();
      Files.deleteIfExists(dir.resolve(gone));
    }
  }

  private Optional<DriftReport> read(String target, String file) {
    Path path = root.resolve(safe(target)).resolve(file);
    try {
      return Optional.of(json.readValue(path.toFile(), DriftReport.class));
    } catch (IOException e) {
      LOG.warnf("report %s is unreadable: %s", path, e.getMessage());
      return Optional.empty();
    }
  }

  private void load() {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> targets = Files.newDirectoryStream(root)) {
      for (Path dir : targets) {
        if (Files.isDirectory(dir)) {
          loadTarget(dir);
        }
      }
    } catch (IOException e) {
      LOG.warnf("could not read report history under %s: %s", root, e.getMessage());
    }
  }

  private void loadTarget(Path dir) throws IOException {
    String target = dir.getFileName().toString();
    NavigableMap<String, String> files = new ConcurrentSkipListMap<>();
    try (DirectoryStream<Path> reports = Files.newDirectoryStream(dir)) {
      for (Path file : reports) {
        String name = file.getFileName().toString();
        if (name.startsWith(".report-")) {
          // A temporary file left by a crash mid-write: the report it held was never published.
          Files.deleteIfExists(file);
        } else if (name.endsWith(SUFFIX)) {
          try {
            DriftReport report = json.readValue(file.toFile(), DriftReport.class);
            files.put(name, report.id());
          } catch (IOException e) {
            LOG.warnf("setting aside unreadable report %s: %s", file, e.getMessage());
            Files.move(
                file, file.resolveSibling(name + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
    index.put(target, files);
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** File names sort by start time: zero-padded epoch milliseconds. */
  private static String fileKey(Instant at) {
    return String.format("%015d", at.toEpochMilli());
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
