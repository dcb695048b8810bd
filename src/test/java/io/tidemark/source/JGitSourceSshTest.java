package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches over real SSH (JGit's Apache MINA test server) with a key and a known_hosts file. */
class JGitSourceSshTest {

  @TempDir Path temp;
  private OriginRepo origin;
  private SshTestGitServer server;
  private KeyPair hostKey;
  private Path clientKeyFile;
  private String url;
  private int port;

  @BeforeEach
  void startServer() throws Exception {
    origin = OriginRepo.create(temp.resolve("origin.git"));
    hostKey = newKeyPair();
    KeyPair clientKey = newKeyPair();
    clientKeyFile = writePrivateKey(clientKey, "id_ecdsa");
    server = new SshTestGitServer("git", clientKey.getPublic(), origin.repository(), hostKey);
    port = server.start();
    url = "ssh://git@127.0.0.1:" + port + "/repo.git";
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop();
    origin.close();
  }

  private static KeyPair newKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private Path writePrivateKey(KeyPair key, String name) throws Exception {
    Path file = temp.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "tidemark-test", null, out);
    }
    return file;
  }

  private Path knownHosts(KeyPair key) throws Exception {
    Path file = temp.resolve("known_hosts");
    Files.writeString(
        file, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
    return file;
  }

  private JGitSource source(Path keyFile, Path knownHosts) {
    return new JGitSource(
        GitSettings.of(url, FollowedRef.branch("main"), temp.resolve("data"))
            .withSsh(keyFile, knownHosts));
  }

  @Test
  void fetchesWithAKeyFromAKnownHost() throws Exception {
    ObjectId first = origin.commitFile("main", "a.txt", "one");
    try (JGitSource source = source(clientKeyFile, knownHosts(hostKey))) {
      assertThat(source.sync().commit()).isEqualTo(first.name());

      ObjectId second = origin.commitFile("main", "a.txt", "two");
      assertThat(source.sync().commit()).isEqualTo(second.name());
      assertThat(source.url()).isEqualTo(url);
    }
  }

  @Test
  void refusesAHostWhoseKeyIsNotTheKnownOne() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    try (JGitSource source = source(clientKeyFile, knownHosts(newKeyPair()))) {
      assertThatThrownBy(source::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("host key of " + url + " was refused");
      assertThat(source.current()).isEmpty();
    }
  }

  @Test
  void refusesEveryHostWithoutAKnownHostsFile() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    try (JGitSource source = source(clientKeyFile, null)) {
      assertThatThrownBy(source::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("host key of " + url + " was refused");
    }
  }

  @Test
  void reportsAnUnknownKeyAsFailedAuthentication() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    Path otherKey = writePrivateKey(newKeyPair(), "id_other");
    try (JGitSource source = source(otherKey, knownHosts(hostKey))) {
      assertThatThrownBy(source::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("authentication failed for " + url);
    }
  }
}
