package io.tidemark.cluster.kubernetes.helm;

import java.util.Objects;

/**
 * A values file as Helm gets it: its repository path (for messages) and its content in memory,
 * already decrypted when it is a SOPS file, so that plain values never touch the disk.
 */
public record ValuesFile(String name, byte[] content) {

  public ValuesFile {
    Objects.requireNonNull(name, "name");
    content = Objects.requireNonNull(content, "content").clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** Never the content: a decrypted file must not reach a log line. */
  @Override
  public String toString() {
    return "ValuesFile[" + name + "]";
  }
}
