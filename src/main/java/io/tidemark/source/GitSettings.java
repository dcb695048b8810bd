package io.tidemark.source;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;

/**
 * Where a {@link JGitSource} fetches from, what it follows, how it authenticates and where it keeps
 * its clone. Credentials written into the URL are moved out of it, so {@link #url()} is safe to
 * show.
 *
 * @param password HTTPS password or token (or SSH password); never shown by {@link #toString()}
 * @param workDir the data directory: the clone lives in {@code git/}, the trees in {@code
 *     checkouts/}
 */
public record GitSettings(
    String url,
    FollowedRef ref,
    Optional<String> username,
    Optional<String> password,
    Optional<Path> sshKeyFile,
    Optional<Path> knownHostsFile,
    Duration timeout,
    Path workDir) {

  public GitSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(workDir, "workDir");
    username = Objects.requireNonNull(username, "username").filter(u -> !u.isBlank());
    password = Objects.requireNonNull(password, "password").filter(p -> !p.isEmpty());
    sshKeyFile = Objects.requireNonNull(sshKeyFile, "sshKeyFile");
    knownHostsFile = Objects.requireNonNull(knownHostsFile, "knownHostsFile");
    if (url.isBlank()) {
      throw new IllegalArgumentException("git url is empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("git timeout must be positive: " + timeout);
    }
    URIish uri = parse(url.trim());
    // A password in the URL, or a user name in an HTTP(S) URL (often a token), is a credential:
    // it moves to its own field so that the URL can be logged.
    boolean http = isHttp(uri);
    if (uri.getPass() != null || (http && uri.getUser() != null)) {
      if (http && username.isEmpty()) {
        username = Optional.ofNullable(uri.getUser());
      }
      if (password.isEmpty()) {
        // https://TOKEN@host/... carries a token as user name: use it as the password too.
        password = Optional.ofNullable(uri.getPass() != null ? uri.getPass() : uri.getUser());
      }
      uri = uri.setPass(null);
      if (http) {
        uri = uri.setUser(null);
      }
      url = uri.toString();
    } else {
      url = url.trim();
    }
    workDir = workDir.toAbsolutePath().normalize();
  }

  /** Settings with no credentials, SSH files, a 30 second timeout. */
  public static GitSettings of(String url, FollowedRef ref, Path workDir) {
    return new GitSettings(
        url,
        ref,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(30),
        workDir);
  }

  /** Reads a password or token file (as {@code tidemark.git.password-file}), without its EOL. */
  public static String readSecret(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.strip();
  }

  public GitSettings withCredentials(String username, String password) {
    return new GitSettings(
        url,
        ref,
        Optional.ofNullable(username),
        Optional.ofNullable(password),
        sshKeyFile,
        knownHostsFile,
        timeout,
        workDir);
  }

  public GitSettings withSsh(Path keyFile, Path knownHosts) {
    return new GitSettings(
        url,
        ref,
        username,
        password,
        Optional.ofNullable(keyFile),
        Optional.ofNullable(knownHosts),
        timeout,
        workDir);
  }

  public GitSettings withTimeout(Duration timeout) {
    return new GitSettings(
        url, ref, username, password, sshKeyFile, knownHostsFile, timeout, workDir);
  }

  /** Whether the remote is reached over SSH (ssh:// or scp-like {@code user@host:path}). */
  public boolean isSsh() {
    URIish uri = parse(url);
    String scheme = uri.getScheme();
    return scheme == null ? uri.getHost() != null : scheme.toLowerCase(Locale.ROOT).contains("ssh");
  }

  @Override
  public String toString() {
    return "GitSettings[url="
        + url
        + ", ref="
        + ref.display()
        + ", username="
        + username.map(u -> password.filter(u::equals).isPresent() ? "****" : u).orElse("-")
        + ", password="
        + (password.isPresent() ? "****" : "-")
        + ", sshKeyFile="
        + sshKeyFile.map(Path::toString).orElse("-")
        + ", knownHostsFile="
        + knownHostsFile.map(Path::toString).orElse("-")
        + ", timeout="
        + timeout
        + ", workDir="
        + workDir
        + "]";
  }

  private static boolean isHttp(URIish uri) {
    String scheme = uri.getScheme();
    return scheme != null && scheme.toLowerCase(Locale.ROOT).startsWith("http");
  }

  private static URIish parse(String url) {
    try {
      return new URIish(url);
    } catch (URISyntaxException e) {
      // The message of URISyntaxException quotes the input, which may hold a password.
      throw new IllegalArgumentException("git url is not a valid URL or path");
    }
  }
}
