package io.tidemark.cluster.kubernetes.helm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a chart archive ({@code .tgz}, as {@code helm package} writes it) into a folder, refusing
 * what Helm's own loader refuses: paths that leave the folder, links, and archives that grow past
 * Helm's limits when unpacked.
 */
final class ChartArchive {

  /** Helm's MaxDecompressedChartSize. */
  static final long MAX_TOTAL = 100L << 20;

  /** Helm's MaxDecompressedFileSize. */
  static final long MAX_FILE = 5L << 20;

  private ChartArchive() {}

  /**
   * Writes the archive's regular files under {@code into}; {@code what} names the chart in
   * messages.
   */
  static void unpack(byte[] archive, Path into, String what) throws ChartFetchException {
    long total = 0;
    try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        Path target = into.resolve(name).normalize();
        if (name.startsWith("/") || name.contains("\\") || !target.startsWith(into)) {
          throw new ChartFetchException(what + ": archive entry leaves the chart: " + name);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        if (!entry.isFile()) {
          continue; // links and devices: Helm's loader ignores them as well
        }
        if (entry.getSize() > MAX_FILE) {
          throw new ChartFetchException(what + ": " + name + " is larger than 5 MiB unpacked");
        }
        total += entry.getSize();
        if (total > MAX_TOTAL) {
          throw new ChartFetchException(what + ": larger than 100 MiB unpacked");
        }
        Files.createDirectories(target.getParent());
        Files.write(target, tar.readNBytes((int) entry.getSize()));
      }
    } catch (IOException e) {
      throw new ChartFetchException(what + ": not a chart archive (.tgz): " + e.getMessage());
    }
  }
}
