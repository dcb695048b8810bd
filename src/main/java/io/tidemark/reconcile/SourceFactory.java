package io.tidemark.reconcile;

import io.tidemark.config.TidemarkConfig;
import io.tidemark.source.FollowedRef;
import io.tidemark.source.GitSettings;
import io.tidemark.source.GitSource;
import io.tidemark.source.JGitSource;
import io.tidemark.source.SignaturePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds the Git sources that {@code tidemark.git.*} (the default repository) and {@code
 * tidemark.repos.<name>.*} describe; none where no URL is set.
 */
public class SourceFactory {

  /** The default repository, {@code tidemark.git.*}, working under the data directory. */
  public Optional<GitSource> create(TidemarkConfig config) {
    return create("tidemark.git", config.git(), config.dataDir());
  }

  /**
   * The repository {@code git} describes, working under {@code workDir} (its clone and checkouts);
   * {@code key} names its configuration in error messages.
   */
  public Optional<GitSource> create(String key, TidemarkConfig.Git git, Path workDir) {
    if (git.url().isEmpty() || git.url().get().isBlank()) {
      return Optional.empty();
    }
    FollowedRef ref =
        git.commit()
            .map(FollowedRef::commit)
            .or(() -> git.tag().map(FollowedRef::tag))
            .orElseGet(() -> FollowedRef.branch(git.branch()));
    GitSettings settings =
        new GitSettings(
            git.url().get(),
            ref,
            git.username(),
            git.passwordFile().map(file -> secret(key, file)),
            git.sshKeyFile(),
            git.knownHostsFile(),
            git.timeout(),
            workDir);
    boolean require = git.signatures() == TidemarkConfig.Signatures.REQUIRE;
    if (require && git.allowedSignersFile().isEmpty() && git.openpgpKeysFile().isEmpty()) {
      throw new IllegalArgumentException(
          key
              + ".signatures=require needs "
              + key
              + ".allowed-signers-file (SSH keys) or "
              + key
              + ".openpgp-keys-file (OpenPGP keys), or both");
    }
    SignaturePolicy signatures =
        new SignaturePolicy(require, git.allowedSignersFile(), git.openpgpKeysFile());
    return Optional.of(new JGitSource(settings, signatures));
  }

  private static String secret(String key, Path file) {
    try {
      return GitSettings.readSecret(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key + ".password-file " + file, e);
    }
  }
}
