package io.tidemark.cluster.kubernetes.helm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * Bytes held in an anonymous in-memory file (Linux {@code memfd_create}), readable by path as
 * {@code /proc/self/fd/N} from this process only: Helm's Go library, loaded in this process, reads
 * values files by path, and decrypted values must never be written to a disk.
 */
final class MemoryFile implements AutoCloseable {

  private static final int MFD_CLOEXEC = 1;

  /** The three libc calls used, bound by JNA (already loaded for Helm's library). */
  interface LibC extends Library {
    int memfd_create(String name, int flags);

    long write(int fd, byte[] buffer, long count);

    int close(int fd);
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private final int fd;

  private MemoryFile(int fd) {
    this.fd = fd;
  }

  /** A new in-memory file holding {@code content}. */
  static MemoryFile of(byte[] content) throws HelmRenderException {
    LibC libc;
    try {
      libc = Holder.LIBC;
    } catch (LinkageError e) {
      throw new HelmRenderException("values cannot be held in memory here (no libc): " + e);
    }
    int fd = libc.memfd_create("tidemark-helm-values", MFD_CLOEXEC);
    if (fd < 0) {
      throw new HelmRenderException(
          "values cannot be held in memory here (memfd_create errno "
              + Native.getLastError()
              + ")");
    }
    MemoryFile file = new MemoryFile(fd);
    int offset = 0;
    while (offset < content.length) {
      byte[] rest =
          offset == 0 ? content : java.util.Arrays.copyOfRange(content, offset, content.length);
      long written = libc.write(fd, rest, rest.length);
      if (written <= 0) {
        file.close();
        throw new HelmRenderException("values could not be written to memory");
      }
      offset += (int) written;
    }
    return file;
  }

  /** The path by which this process reads the file from its start. */
  Path path() {
    return Path.of("/proc/self/fd/" + fd);
  }

  @Override
  public void close() {
    Holder.LIBC.close(fd);
  }
}
