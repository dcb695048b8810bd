package io.tidemark.source;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which commits a {@link JGitSource} may hand out: any, or only those signed by a trusted key (SSH
 * keys of an allowed-signers file, OpenPGP keys of an armored key file).
 *
 * @param required whether the head commit must carry a valid signature by a trusted key
 * @param allowedSignersFile git's {@code allowed_signers} file: the trusted SSH keys
 * @param openPgpKeysFile armored OpenPGP public keys: the trusted OpenPGP keys
 */
public record SignaturePolicy(
    boolean required, Optional<Path> allowedSignersFile, Optional<Path> openPgpKeysFile) {

  public SignaturePolicy {
    allowedSignersFile =
        Objects.requireNonNull(allowedSignersFile, "allowedSignersFile")
            .map(p -> p.toAbsolutePath().normalize());
    openPgpKeysFile =
        Objects.requireNonNull(openPgpKeysFile, "openPgpKeysFile")
            .map(p -> p.toAbsolutePath().normalize());
    if (required && allowedSignersFile.isEmpty() && openPgpKeysFile.isEmpty()) {
      throw new IllegalArgumentException(
          "signatures are required but no trusted key is given: set an allowed signers file"
              + " (SSH keys) or an OpenPGP keys file, or both");
    }
  }

  /** Every commit is used as it is: nothing is checked. */
  public static SignaturePolicy off() {
    return new SignaturePolicy(false, Optional.empty(), Optional.empty());
  }

  /** Only commits signed by a key of one of these files are used. */
  public static SignaturePolicy require(Path allowedSignersFile, Path openPgpKeysFile) {
    return new SignaturePolicy(
        true, Optional.ofNullable(allowedSignersFile), Optional.ofNullable(openPgpKeysFile));
  }
}
