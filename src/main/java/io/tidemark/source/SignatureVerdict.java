package io.tidemark.source;

import java.util.Objects;

/**
 * What the signature check said about one commit: whether it is trusted, who signed it (or that
 * nobody did), with which key, and why a refused commit was refused.
 *
 * @param format {@code ssh}, {@code openpgp}, {@code x509}, or empty when there is no signature
 * @param signer who signed: the allowed-signers principal or the OpenPGP user id; empty if unknown
 * @param key the signing key: SSH fingerprint ({@code SHA256:...}) or OpenPGP fingerprint or id
 * @param reason why the commit is refused (empty when it is trusted or not checked)
 */
public record SignatureVerdict(
    Status status, String format, String signer, String key, String reason) {

  /** The closed set of outcomes of a signature check. */
  public enum Status {
    /** Signatures are not required: nothing was checked. */
    UNCHECKED,
    /** A valid signature by a trusted key. */
    TRUSTED,
    /** The commit carries no signature. */
    UNSIGNED,
    /** The signature does not verify: tampered commit, corrupt or malformed signature. */
    BAD,
    /** A valid signature, but by a key that is not trusted (or not trusted at that time). */
    UNTRUSTED
  }

  public SignatureVerdict {
    Objects.requireNonNull(status, "status");
    format = format == null ? "" : format;
    signer = signer == null ? "" : signer;
    key = key == null ? "" : key;
    reason = reason == null ? "" : reason;
  }

  public static SignatureVerdict unchecked() {
    return new SignatureVerdict(Status.UNCHECKED, "", "", "", "");
  }

  public static SignatureVerdict unsigned() {
    return new SignatureVerdict(Status.UNSIGNED, "", "", "", "the commit is not signed");
  }

  public static SignatureVerdict trusted(String format, String signer, String key) {
    return new SignatureVerdict(Status.TRUSTED, format, signer, key, "");
  }

  public static SignatureVerdict bad(String format, String key, String reason) {
    return bad(format, "", key, reason);
  }

  /** A signature that does not verify, made (so it claims) by the trusted {@code signer}'s key. */
  public static SignatureVerdict bad(String format, String signer, String key, String reason) {
    return new SignatureVerdict(Status.BAD, format, signer, key, reason);
  }

  public static SignatureVerdict untrusted(String format, String signer, String key, String why) {
    return new SignatureVerdict(Status.UNTRUSTED, format, signer, key, why);
  }

  /** Whether the commit may be used: it is trusted, or nothing was required of it. */
  public boolean accepted() {
    return status == Status.TRUSTED || status == Status.UNCHECKED;
  }

  /** Who signed, as a reader wants it: {@code alice@example.com (ssh key SHA256:...)}. */
  public String signedBy() {
    if (status == Status.UNSIGNED) {
      return "nobody (unsigned)";
    }
    if (status == Status.UNCHECKED) {
      return "not checked";
    }
    String what = format + " key " + (key.isEmpty() ? "(unknown)" : key);
    return signer.isEmpty() ? what : signer + " (" + what + ")";
  }
}
