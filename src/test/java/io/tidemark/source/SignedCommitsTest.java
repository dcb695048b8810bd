package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.source.SignatureVerdict.Status;
import io.tidemark.testing.SigningGit;
import io.tidemark.testing.SigningGit.SshKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures required: commits signed by the real {@code git} with {@code ssh-keygen} keys
 * (ed25519, RSA) and GnuPG keys are used when the key is trusted, and everything else is refused
 * while the last trusted revision stays current.
 */
class SignedCommitsTest {

  private static final String ALICE_PGP = "Alice Admin <alice@example.com>";
  private static final String MALLORY_PGP = "Mallory <mallory@example.com>";

  @TempDir static Path keys;
  private static SigningGit keyMaker;
  private static SshKey aliceEd25519;
  private static SshKey bobRsa;
  private static SshKey carolEcdsa;
  private static SshKey mallorySsh;
  private static Path allowedSigners;
  private static Path openPgpKeys;

  @TempDir Path dir;
  private SigningGit git;
  private JGitSource source;

  @BeforeAll
  static void makeKeys() throws IOException {
    keyMaker = SigningGit.create(keys.resolve("keys"));
    aliceEd25519 = keyMaker.sshKey("alice", "ed25519");
    bobRsa = keyMaker.sshKey("bob", "rsa");
    carolEcdsa = keyMaker.sshKey("carol", "ecdsa");
    mallorySsh = keyMaker.sshKey("mallory", "ed25519");
    keyMaker.gpgKey(ALICE_PGP);
    keyMaker.gpgKey(MALLORY_PGP);
    allowedSigners =
        Files.writeString(
            keys.resolve("allowed_signers"),
            "# who may sign the platform repository\n"
                + "alice@example.com namespaces=\"git\" "
                + aliceEd25519.publicLine()
                + "\n"
                + "bob@example.com "
                + bobRsa.publicLine()
                + "\n"
                + "carol@example.com "
                + carolEcdsa.publicLine()
                + "\n");
    openPgpKeys = keyMaker.exportGpgKeys(keys.resolve("trusted.asc"), ALICE_PGP);
  }

  @AfterAll
  static void stopAgent() {
    if (keyMaker != null) {
      keyMaker.close();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    // One GnuPG home holds the keys: commits are made in a repository that shares it.
    git = SigningGit.create(dir.resolve("repo"), keyMaker);
  }

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
  }

  private JGitSource source(SignaturePolicy policy) {
    source =
        new JGitSource(
            GitSettings.of(git.url(), FollowedRef.branch("main"), dir.resolve("data")), policy);
    return source;
  }

  private static SignaturePolicy required() {
    return SignaturePolicy.require(allowedSigners, openPgpKeys);
  }

  @Test
  void aCommitSignedWithAnAllowedEd25519SshKeyIsUsed() throws Exception {
    String id = git.write("app.yml", "a: 1\n").commitSsh("signed by alice", aliceEd25519);
    git.push();

    Revision revision = source(required()).sync();

    assertThat(revision.commit()).isEqualTo(id);
    assertThat(revision.signature().status()).isEqualTo(Status.TRUSTED);
    assertThat(revision.signature().signer()).isEqualTo("alice@example.com");
    assertThat(revision.signature().key()).startsWith("SHA256:");
    assertThat(revision.tree().resolve("app.yml")).hasContent("a: 1");
  }

  @Test
  void aCommitSignedWithAnAllowedRsaSshKeyIsUsed() throws Exception {
    String id = git.write("app.yml", "a: 1\n").commitSsh("signed by bob", bobRsa);
    git.push();

    Revision revision = source(required()).sync();

    assertThat(revision.commit()).isEqualTo(id);
    assertThat(revision.signature().signedBy()).startsWith("bob@example.com (ssh key SHA256:");
  }

  @Test
  void aCommitSignedWithAnAllowedEcdsaSshKeyIsUsed() throws Exception {
    git.write("app.yml", "a: 1\n").commitSsh("signed by carol", carolEcdsa);
    git.push();

    assertThat(source(required()).sync().signature().signer()).isEqualTo("carol@example.com");
  }

  @Test
  void aCommitSignedWithATrustedOpenPgpKeyIsUsed() throws Exception {
    String id = git.write("app.yml", "a: 1\n").commitGpg("signed with gpg", ALICE_PGP);
    git.push();

    Revision revision = source(required()).sync();

    assertThat(revision.commit()).isEqualTo(id);
    assertThat(revision.signature().status()).isEqualTo(Status.TRUSTED);
    assertThat(revision.signature().signer()).isEqualTo(ALICE_PGP);
    assertThat(revision.signature().key()).matches("[0-9A-F]{40}");
  }

  @Test
  void anUnsignedCommitIsRefusedAndTheLastTrustedRevisionStaysCurrent() throws Exception {
    String trusted = git.write("app.yml", "a: 1\n").commitSsh("trusted", aliceEd25519);
    git.push();
    JGitSource source = source(required());
    source.sync();
    String unsigned = git.write("app.yml", "a: 2\n").commit("sneaked in unsigned");
    git.push();

    assertThatThrownBy(source::sync)
        .isInstanceOf(UntrustedRevisionException.class)
        .hasMessage(
            "commit "
                + unsigned
                + " (\"sneaked in unsigned\" by Platform Team) is refused: signed by nobody"
                + " (unsigned); the commit is not signed");
    assertThat(source.current().orElseThrow().commit()).isEqualTo(trusted);
    assertThat(checkouts()).containsExactly(trusted);
  }

  @Test
  void aCommitSignedByAnSshKeyNotInTheAllowedSignersIsRefused() throws Exception {
    String id = git.write("app.yml", "a: 1\n").commitSsh("signed by mallory", mallorySsh);
    git.push();

    assertThatThrownBy(source(required())::sync)
        .isInstanceOfSatisfying(
            UntrustedRevisionException.class,
            e -> {
              assertThat(e.revision().commit()).isEqualTo(id);
              assertThat(e.verdict().status()).isEqualTo(Status.UNTRUSTED);
            })
        .hasMessageContaining("commit " + id)
        .hasMessageContaining("signed by ssh key SHA256:")
        .hasMessageEndingWith("the key is not in the allowed signers file " + allowedSigners);
    assertThat(source.current()).isEmpty();
    assertThat(checkouts()).isEmpty();
  }

  @Test
  void aCommitSignedByAnOpenPgpKeyNotInTheKeysFileIsRefused() throws Exception {
    git.write("app.yml", "a: 1\n").commitGpg("signed by mallory", MALLORY_PGP);
    git.push();

    assertThatThrownBy(source(required())::sync)
        .isInstanceOf(UntrustedRevisionException.class)
        .hasMessageContaining("signed by openpgp key ")
        .hasMessageEndingWith("the key is not in the OpenPGP keys file " + openPgpKeys);
  }

  @Test
  void anSshSignedCommitWhoseContentChangedAfterSigningIsRefused() throws Exception {
    git.write("app.yml", "a: 1\n").commitSsh("replicas: 3", aliceEd25519);
    String tampered = git.tamperHead("replicas: 300");
    git.forcePush();

    assertThatThrownBy(source(required())::sync)
        .isInstanceOfSatisfying(
            UntrustedRevisionException.class,
            e -> assertThat(e.verdict().status()).isEqualTo(Status.BAD))
        .hasMessageContaining("commit " + tampered)
        .hasMessageEndingWith("the signature does not match the commit (tampered or corrupt)");
  }

  @Test
  void anOpenPgpSignedCommitWhoseContentChangedAfterSigningIsRefused() throws Exception {
    git.write("app.yml", "a: 1\n").commitGpg("replicas: 3", ALICE_PGP);
    git.tamperHead("replicas: 300");
    git.forcePush();

    assertThatThrownBy(source(required())::sync)
        .isInstanceOf(UntrustedRevisionException.class)
        .hasMessageContaining("signed by " + ALICE_PGP + " (openpgp key ")
        .hasMessageEndingWith("the signature does not match the commit (tampered or corrupt)");
  }

  @Test
  void aForcePushToAnUnsignedHistoryIsRefusedAndTheLastTrustedRevisionStaysCurrent()
      throws Exception {
    String trusted = git.write("app.yml", "a: 1\n").commitGpg("trusted", ALICE_PGP);
    git.push();
    JGitSource source = source(required());
    source.sync();
    String rewritten = git.orphan().write("app.yml", "evil: true\n").commit("rewritten history");
    git.forcePush();

    assertThatThrownBy(source::sync)
        .isInstanceOf(UntrustedRevisionException.class)
        .hasMessageStartingWith("commit " + rewritten + " (\"rewritten history\"");
    assertThat(source.current().orElseThrow().commit()).isEqualTo(trusted);
    assertThat(checkouts()).containsExactly(trusted);

    // Back to a signed head: it is used again.
    String signedAgain = git.write("app.yml", "a: 2\n").commitSsh("signed again", aliceEd25519);
    git.push();
    assertThat(source.sync().commit()).isEqualTo(signedAgain);
  }

  @Test
  void anSshKeyWhoseValidityEndedBeforeTheCommitIsRefused() throws Exception {
    Path expired =
        Files.writeString(
            dir.resolve("allowed_signers"),
            "alice@example.com valid-before=\"20200101Z\" " + aliceEd25519.publicLine() + "\n");
    git.write("app.yml", "a: 1\n").commitSsh("signed by alice", aliceEd25519);
    git.push();

    assertThatThrownBy(source(SignaturePolicy.require(expired, null))::sync)
        .isInstanceOfSatisfying(
            UntrustedRevisionException.class,
            e -> assertThat(e.verdict().status()).isEqualTo(Status.UNTRUSTED));
  }

  @Test
  void anOpenPgpSignatureIsNotTrustedWhenOnlySshKeysAreConfigured() throws Exception {
    git.write("app.yml", "a: 1\n").commitGpg("signed with gpg", ALICE_PGP);
    git.push();

    assertThatThrownBy(source(SignaturePolicy.require(allowedSigners, null))::sync)
        .hasMessageEndingWith("OpenPGP signatures are not trusted: no OpenPGP keys file is set");
  }

  @Test
  void aBrokenOpenPgpKeysFileRefusesWithItsFileAndLine() throws Exception {
    Path broken =
        Files.writeString(
            dir.resolve("broken.asc"),
            Files.readString(openPgpKeys)
                + "\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 !!!\n"
                + "-----END PGP PUBLIC KEY BLOCK-----\n");
    int line = (int) Files.readString(openPgpKeys).lines().count() + 2;
    git.write("app.yml", "a: 1\n").commitGpg("signed with gpg", ALICE_PGP);
    git.push();

    assertThatThrownBy(source(SignaturePolicy.require(null, broken))::sync)
        .hasMessageContaining("OpenPGP keys file " + broken + ", line " + line + ": ");
  }

  @Test
  void withSignaturesOffAnUnsignedCommitIsUsedUnchecked() throws Exception {
    String id = git.write("app.yml", "a: 1\n").commit("unsigned");
    git.push();

    Revision revision = source(SignaturePolicy.off()).sync();

    assertThat(revision.commit()).isEqualTo(id);
    assertThat(revision.signature().status()).isEqualTo(Status.UNCHECKED);
  }

  @Test
  void aRememberedUnsignedRevisionIsDroppedWhenSignaturesBecomeRequired() throws Exception {
    git.write("app.yml", "a: 1\n").commit("unsigned");
    git.push();
    source(SignaturePolicy.off()).sync();
    source.close();

    assertThat(source(required()).current()).isEmpty();
  }

  @Test
  void signaturesRequiredWithoutAnyTrustedKeyIsAConfigurationError() {
    assertThatThrownBy(() -> SignaturePolicy.require(null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no trusted key is given");
  }

  private Stream<String> checkoutsStream() throws IOException {
    Path root = dir.resolve("data/checkouts");
    if (!Files.isDirectory(root)) {
      return Stream.empty();
    }
    return Files.list(root).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."));
  }

  private java.util.List<String> checkouts() throws IOException {
    try (Stream<String> names = checkoutsStream()) {
      return names.toList();
    }
  }
}
