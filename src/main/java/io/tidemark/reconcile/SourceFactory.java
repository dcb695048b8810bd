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

/** Builds the Git source that {@code tidemark.git.*} describes, or none when no URL is set. */
public class SourceFactory {

  public Optional<GitSource> create(TidemarkConfig config) {
    TidemarkConfig.Git git = config.git();
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
            git.passwordFile().map(SourceFactory::secret),
            git.sshKeyFile(),
            git.knownHostsFile(),
            git.timeout(),
            config.dataDir());
    boolean require = git.signatures() == TidemarkConfig.Signatures.REQUIRE;
    if (require && git.allowedSignersFile().isEmpty() && git.openpgpKeysFile().isEmpty()) {
      throw new IllegalArgumentException(
          "tidemark.git.signatures=require needs tidemark.git.allowed-signers-file (SSH keys) or"
              + " tidemark.git.openpgp-keys-file (OpenPGP keys), or both");
    }
    SignaturePolicy signatures =
        new SignaturePolicy(require, git.allowedSignersFile(), git.openpgpKeysFile());
    return Optional.of(new JGitSource(settings, signatures));
  }

  private static String secret(Path file) {
    try {
      return GitSettings.readSecret(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tidemark.git.password-file " + file, e);
    }
  }
}
