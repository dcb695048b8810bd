package io.tidemark.cluster.kubernetes.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Values handed to Helm through an anonymous in-memory file, never through the disk. */
class MemoryFileTest {

  @Test
  void holdsTheBytesInMemoryReadableByPathUntilClosed() throws Exception {
    Path path;
    try (MemoryFile file = MemoryFile.of("password: s3cret\n".getBytes(StandardCharsets.UTF_8))) {
      path = file.path();
      assertThat(path.toString()).startsWith("/proc/self/fd/");
      assertThat(Files.readString(path)).isEqualTo("password: s3cret\n");
      // The descriptor points at an anonymous memory file, not at a file of any disk.
      assertThat(Files.readSymbolicLink(path).toString()).startsWith("/memfd:");
    }
    assertThat(Files.exists(path)).isFalse();
  }
}
