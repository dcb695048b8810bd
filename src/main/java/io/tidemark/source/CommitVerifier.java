package io.tidemark.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.lib.SignatureVerifier.TrustLevel;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Checks the signature of a commit against a {@link SignaturePolicy}: SSH signatures with JGit's
 * verifier (OpenSSH's sshsig format, keys from git's allowed-signers file), OpenPGP signatures with
 * {@link OpenPgpVerifier}. Anything else, or nothing, is refused when signatures are required.
 */
final class CommitVerifier {

  private static final byte[] GPGSIG = {'g', 'p', 'g', 's', 'i', 'g'};

  private final SignaturePolicy policy;
  private final OpenPgpVerifier openPgp;

  CommitVerifier(SignaturePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.openPgp = new OpenPgpVerifier(policy.openPgpKeysFile());
  }

  boolean required() {
    return policy.required();
  }

  /** The verdict on {@code commit}; {@link SignatureVerdict#unchecked()} when none is required. */
  SignatureVerdict verify(Repository repo, RevCommit commit) {
    if (!policy.required()) {
      return SignatureVerdict.unchecked();
    }
    byte[] signature = commit.getRawGpgSignature();
    if (signature == null) {
      return SignatureVerdict.unsigned();
    }
    byte[] payload = unsignedPayload(commit.getRawBuffer());
    String armor = new String(signature, 0, Math.min(signature.length, 64), StandardCharsets.UTF_8);
    if (armor.startsWith(Constants.SSH_SIGNATURE_PREFIX)) {
      return ssh(repo, payload, signature);
    }
    if (armor.startsWith(Constants.GPG_SIGNATURE_PREFIX)) {
      return openPgp.verify(payload, signature);
    }
    if (armor.startsWith(Constants.CMS_SIGNATURE_PREFIX)) {
      return SignatureVerdict.untrusted(
          "x509", "", "", "X.509 (gpgsm) signatures are not supported; sign with SSH or OpenPGP");
    }
    return SignatureVerdict.bad("", "", "the signature is in no known format");
  }

  private SignatureVerdict ssh(Repository repo, byte[] payload, byte[] signature) {
    if (policy.allowedSignersFile().isEmpty()) {
      return SignatureVerdict.untrusted(
          "ssh", "", "", "SSH signatures are not trusted: no allowed signers file is configured");
    }
    Path allowed = policy.allowedSignersFile().get();
    SignatureVerifier verifier = SignatureVerifiers.get(GpgConfig.GpgFormat.SSH);
    if (verifier == null) {
      return SignatureVerdict.bad("ssh", "", "no SSH signature verifier is installed");
    }
    Config config = new Config();
    config.setString(
        ConfigConstants.CONFIG_GPG_SECTION,
        ConfigConstants.CONFIG_SSH_SUBSECTION,
        ConfigConstants.CONFIG_KEY_SSH_ALLOWED_SIGNERS_FILE,
        allowed.toString());
    SignatureVerification result;
    try {
      result = verifier.verify(repo, new GpgConfig(config), payload, signature);
    } catch (IOException | RuntimeException e) {
      return SignatureVerdict.bad("ssh", "", "the SSH signature cannot be read: " + e.getMessage());
    }
    String key = result.keyFingerprint();
    if (result.verified()) {
      return SignatureVerdict.trusted("ssh", result.keyUser(), key);
    }
    if (result.trustLevel() == TrustLevel.UNKNOWN) {
      String why = Files.isRegularFile(allowed) ? " is not in " : " cannot be checked: missing ";
      return SignatureVerdict.untrusted(
          "ssh", "", key, "the key" + why + "the allowed signers file " + allowed);
    }
    if (result.expired()) {
      return SignatureVerdict.untrusted("ssh", "", key, result.message());
    }
    return SignatureVerdict.bad(
        "ssh",
        key,
        result.message() == null
            ? "the signature does not match the commit (tampered or corrupt)"
            : result.message());
  }

  /** The commit as it was signed: its raw bytes without the {@code gpgsig} header. */
  static byte[] unsignedPayload(byte[] raw) {
    int start = RawParseUtils.headerStart(GPGSIG, raw, 0);
    if (start < 0) {
      return raw;
    }
    int end = RawParseUtils.nextLfSkippingSplitLines(raw, start);
    start -= GPGSIG.length + 1; // back to the header name
    if (end < raw.length) {
      end++; // the header's own line end
    }
    byte[] data = new byte[raw.length - (end - start)];
    System.arraycopy(raw, 0, data, 0, start);
    System.arraycopy(raw, end, data, start, raw.length - end);
    return data;
  }
}
