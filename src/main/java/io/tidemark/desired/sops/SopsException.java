package io.tidemark.desired.sops;

/**
 * Why a SOPS file cannot be used: its file, the line where one applies (0 otherwise) and a reason
 * that never holds a decrypted value.
 */
public final class SopsException extends Exception {

  private final String file;
  private final int line;
  private final String reason;

  public SopsException(String file, int line, String reason) {
    super(file + (line > 0 ? ":" + line : "") + ": " + reason, null, false, false);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The reason alone, without file and line. */
  public String reason() {
    return reason;
  }
}
