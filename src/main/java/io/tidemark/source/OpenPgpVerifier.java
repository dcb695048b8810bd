package io.tidemark.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.bc.BcPGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.encoders.Hex;

/**
 * Verifies detached OpenPGP commit signatures against the public keys of one armored key file (what
 * {@code gpg --armor --export} writes; several blocks may follow each other). The file is read at
 * each check, so a changed key file takes effect at the next commit. JGit's own OpenPGP verifier
 * only looks keys up in the GnuPG home directory of the process, which is why this one exists.
 */
final class OpenPgpVerifier {

  private static final String FORMAT = "openpgp";
  private static final String BLOCK_START = "-----BEGIN PGP PUBLIC KEY BLOCK-----";

  private final Optional<Path> keysFile;

  OpenPgpVerifier(Optional<Path> keysFile) {
    this.keysFile = keysFile;
  }

  SignatureVerdict verify(byte[] payload, byte[] armoredSignature) {
    PGPSignature signature;
    try {
      signature = parseSignature(armoredSignature);
    } catch (IOException | PGPException | RuntimeException e) {
      return SignatureVerdict.bad(FORMAT, "", "the OpenPGP signature cannot be read: " + e);
    }
    long keyId = keyIdOf(signature);
    String keyName = String.format(Locale.ROOT, "%016X", keyId);
    if (keysFile.isEmpty()) {
      return SignatureVerdict.untrusted(
          FORMAT, "", keyName, "OpenPGP signatures are not trusted: no OpenPGP keys file is set");
    }
    List<PGPPublicKeyRing> rings;
    try {
      rings = readKeys(keysFile.get());
    } catch (IOException e) {
      return SignatureVerdict.untrusted(FORMAT, "", keyName, e.getMessage());
    }
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey key = ring.getPublicKey(keyId);
      if (key != null) {
        return check(signature, payload, ring, key);
      }
    }
    return SignatureVerdict.untrusted(
        FORMAT, "", keyName, "the key is not in the OpenPGP keys file " + keysFile.get());
  }

  private static SignatureVerdict check(
      PGPSignature signature, byte[] payload, PGPPublicKeyRing ring, PGPPublicKey key) {
    PGPPublicKey primary = ring.getPublicKey();
    String fingerprint = Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    Iterator<String> ids = primary.getUserIDs();
    String signer = ids.hasNext() ? ids.next() : "";
    boolean valid;
    try {
      signature.init(new BcPGPContentVerifierBuilderProvider(), key);
      signature.update(payload);
      valid = signature.verify();
    } catch (PGPException | RuntimeException e) {
      return SignatureVerdict.bad(
          FORMAT, signer, fingerprint, "the signature cannot be checked: " + e);
    }
    if (!valid) {
      return SignatureVerdict.bad(
          FORMAT,
          signer,
          fingerprint,
          "the signature does not match the commit (tampered or corrupt)");
    }
    if (primary.hasRevocation() || (key != primary && key.hasRevocation())) {
      return SignatureVerdict.untrusted(FORMAT, signer, fingerprint, "the key is revoked");
    }
    Date signed = signature.getCreationTime();
    if (expiredAt(primary, signed) || expiredAt(key, signed)) {
      return SignatureVerdict.untrusted(
          FORMAT, signer, fingerprint, "the key had expired when the commit was signed");
    }
    return SignatureVerdict.trusted(FORMAT, signer, fingerprint);
  }

  private static boolean expiredAt(PGPPublicKey key, Date when) {
    long valid = key.getValidSeconds();
    return valid > 0 && when.getTime() > key.getCreationTime().getTime() + valid * 1000L;
  }

  private static PGPSignature parseSignature(byte[] armored) throws IOException, PGPException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      Object object = new BcPGPObjectFactory(in).nextObject();
      if (object instanceof PGPSignatureList list && !list.isEmpty()) {
        return list.get(0);
      }
      throw new PGPException("no signature packet in it");
    }
  }

  private static long keyIdOf(PGPSignature signature) {
    long id = signature.getKeyID();
    if (id == 0 && signature.getHashedSubPackets() != null) {
      IssuerFingerprint issuer = signature.getHashedSubPackets().getIssuerFingerprint();
      if (issuer != null) {
        byte[] fp = issuer.getFingerprint();
        for (int i = Math.max(0, fp.length - 8); i < fp.length; i++) {
          id = (id << 8) | (fp[i] & 0xff);
        }
      }
    }
    return id;
  }

  /** Every key ring of the file; an unreadable block is an error naming the file and its line. */
  static List<PGPPublicKeyRing> readKeys(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read the OpenPGP keys file " + file + ": " + e, e);
    }
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= lines.size(); i++) {
      boolean boundary = i == lines.size() || lines.get(i).strip().equals(BLOCK_START);
      if (boundary && start >= 0) {
        String block = String.join("\n", lines.subList(start, i)) + "\n";
        try (InputStream in =
            PGPUtil.getDecoderStream(
                new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8)))) {
          new BcPGPPublicKeyRingCollection(in).forEach(rings::add);
        } catch (IOException | PGPException | RuntimeException e) {
          throw new IOException(
              "OpenPGP keys file "
                  + file
                  + ", line "
                  + (start + 1)
                  + ": not a public key block: "
                  + e,
              e);
        }
      }
      if (boundary) {
        start = i;
      }
    }
    if (rings.isEmpty()) {
      throw new IOException(
          "OpenPGP keys file " + file + " holds no armored public key (" + BLOCK_START + ")");
    }
    return rings;
  }
}
