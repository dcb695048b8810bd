package io.tidemark.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Puts credentials, SSH identity, host key checking and the timeout on each JGit transport command,
 * never into JGit's global defaults. SSH reads no {@code ~/.ssh}: only the configured key and
 * known_hosts file, and an unknown host key is refused.
 */
final class GitAuth implements Closeable {

  // Strict: a host whose key is not in the configured known_hosts file is refused, never added.
  private static final String SSH_CONFIG = "Host *\n  StrictHostKeyChecking yes\n";

  private final GitSettings settings;
  private final SshdSessionFactory sshFactory;

  GitAuth(GitSettings settings) {
    this.settings = settings;
    this.sshFactory = settings.isSsh() ? buildSshFactory(settings) : null;
  }

  /** Configures one fetch (or clone) command. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    command.setTimeout(timeoutSeconds());
    settings
        .password()
        .ifPresent(
            password ->
                command.setCredentialsProvider(
                    new UsernamePasswordCredentialsProvider(
                        settings.username().orElse("git"), password)));
    if (sshFactory != null) {
      command.setTransportConfigCallback(
          transport -> {
            if (transport instanceof SshTransport ssh) {
              ssh.setSshSessionFactory(sshFactory);
            }
          });
    }
    return command;
  }

  private int timeoutSeconds() {
    long millis = settings.timeout().toMillis();
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
  }

  private static SshdSessionFactory buildSshFactory(GitSettings settings) {
    // A private home keeps the host user's ~/.ssh (config, keys, known_hosts, agent) out of play.
    Path sshHome = settings.workDir().resolve("ssh");
    Path config = sshHome.resolve("config");
    try {
      Files.createDirectories(sshHome);
      Files.writeString(config, SSH_CONFIG, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare SSH settings in " + sshHome, e);
    }
    List<Path> identities = settings.sshKeyFile().map(List::of).orElse(List.of());
    List<Path> knownHosts = settings.knownHostsFile().map(List::of).orElse(List.of());
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(sshHome.toFile())
        .setSshDirectory(sshHome.toFile())
        .setConfigFile(dir -> config.toFile())
        .setDefaultIdentities(dir -> identities)
        .setDefaultKnownHostsFiles(dir -> knownHosts)
        // No Kerberos: a service has no ticket, and probing for one costs seconds per connection.
        .setPreferredAuthentications("publickey,keyboard-interactive,password")
        .build(null);
  }

  @Override
  public void close() {
    if (sshFactory != null) {
      sshFactory.close();
    }
  }
}
