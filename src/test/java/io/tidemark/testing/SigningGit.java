package io.tidemark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real signed history for tests: the {@code git} binary commits in a work tree and pushes to a bare
 * remote, signing with SSH keys made by {@code ssh-keygen} ({@code gpg.format=ssh}) or with OpenPGP
 * keys that {@code gpg} makes in a private GnuPG home. Nothing of the user's own Git or GnuPG
 * configuration is read.
 */
public final class SigningGit implements AutoCloseable {

  /** An SSH key pair on disk, and the public key line as {@code allowed_signers} wants it. */
  public record SshKey(Path privateKey, Path publicKey, String publicLine) {}

  private final Path home;
  private final Path gnupg;
  private final Path bare;
  private final Path work;

  private SigningGit(Path home, Path gnupg, Path dir) {
    this.home = home;
    this.gnupg = gnupg;
    this.bare = dir.resolve("remote.git");
    this.work = dir.resolve("work");
  }

  /** A bare remote on branch main and an empty work tree that pushes to it, with its own keys. */
  public static SigningGit create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.createDirectories(
        dir.resolve("gnupg"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.createDirectories(dir.resolve("home"));
    return init(new SigningGit(dir.resolve("home"), dir.resolve("gnupg"), dir));
  }

  /** A new remote and work tree that sign with the keys {@code keys} made. */
  public static SigningGit create(Path dir, SigningGit keys) throws IOException {
    Files.createDirectories(dir);
    return init(new SigningGit(keys.home, keys.gnupg, dir));
  }

  private static SigningGit init(SigningGit git) throws IOException {
    Executables.require("git", "git");
    Path dir = git.bare.getParent();
    git.run(dir, "git", "init", "-q", "--bare", "-b", "main", git.bare.toString());
    git.run(dir, "git", "init", "-q", "-b", "main", git.work.toString());
    git.git("remote", "add", "origin", git.bare.toUri().toString());
    git.git("config", "user.name", "Platform Team");
    git.git("config", "user.email", "platform@example.com");
    return git;
  }

  /** The remote's file:// URL. */
  public String url() {
    return bare.toUri().toString();
  }

  public Path workTree() {
    return work;
  }

  /** Makes an SSH key pair with {@code ssh-keygen -t type} (ed25519, rsa, ecdsa). */
  public SshKey sshKey(String name, String type) throws IOException {
    Executables.require("ssh-keygen", "openssh-client");
    Path key = home.resolve(name);
    run(home, "ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString());
    Path pub = home.resolve(name + ".pub");
    String[] parts = Files.readString(pub).strip().split("\\s+");
    return new SshKey(key, pub, parts[0] + " " + parts[1]);
  }

  /** Makes an OpenPGP signing key for {@code uid} (as {@code Alice <alice@example.com>}). */
  public void gpgKey(String uid) throws IOException {
    Executables.require("gpg", "gnupg");
    run(
        home,
        "gpg",
        "--batch",
        "--passphrase",
        "",
        "--quick-gen-key",
        uid,
        "ed25519",
        "sign",
        "never");
  }

  /** Writes the armored public keys of {@code uids} to {@code file}, one block each. */
  public Path exportGpgKeys(Path file, String... uids) throws IOException {
    StringBuilder armored = new StringBuilder();
    for (String uid : uids) {
      armored.append(run(home, "gpg", "--batch", "--armor", "--export", uid));
    }
    Files.writeString(file, armored);
    return file;
  }

  /** Writes a file of the work tree (parents created). */
  public SigningGit write(String path, String content) throws IOException {
    Path file = work.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  /** Commits everything, unsigned; returns the commit id. */
  public String commit(String message) throws IOException {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", message);
    return head();
  }

  /** Commits everything, signed by {@code key} in the sshsig format. */
  public String commitSsh(String message, SshKey key) throws IOException {
    git("add", "-A");
    git(
        "-c",
        "gpg.format=ssh",
        "-c",
        "user.signingkey=" + key.privateKey(),
        "commit",
        "-q",
        "--allow-empty",
        "-S",
        "-m",
        message);
    return head();
  }

  /** Commits everything, signed by the OpenPGP key of {@code uid}. */
  public String commitGpg(String message, String uid) throws IOException {
    git("add", "-A");
    git(
        "-c",
        "gpg.format=openpgp",
        "-c",
        "user.signingkey=" + uid,
        "commit",
        "-q",
        "--allow-empty",
        "-S",
        "-m",
        message);
    return head();
  }

  /**
   * Rewrites HEAD with its message changed but its signature kept, as a tampered commit would be,
   * and points the branch at it; returns the new commit id.
   */
  public String tamperHead(String newMessage) throws IOException {
    String raw = git("cat-file", "commit", "HEAD");
    int body = raw.indexOf("\n\n");
    String tampered = raw.substring(0, body + 2) + newMessage + "\n";
    String id =
        runWithInput(tampered, "git", "hash-object", "-t", "commit", "-w", "--stdin").strip();
    git("update-ref", "refs/heads/main", id);
    return id;
  }

  /** Starts an unrelated history (orphan branch) in the work tree, as a rewrite would. */
  public SigningGit orphan() throws IOException {
    git("checkout", "-q", "--orphan", "rewrite");
    git("rm", "-q", "-rf", "--ignore-unmatch", ".");
    git("branch", "-q", "-M", "main");
    return this;
  }

  public void push() throws IOException {
    git("push", "-q", "origin", "HEAD:refs/heads/main");
  }

  public void forcePush() throws IOException {
    git("push", "-q", "--force", "origin", "HEAD:refs/heads/main");
  }

  public String head() throws IOException {
    return git("rev-parse", "HEAD").strip();
  }

  /** Runs {@code git args} in the work tree; returns its standard output. */
  public String git(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    return run(work, command.toArray(String[]::new));
  }

  private String run(Path dir, String... command) throws IOException {
    return runIn(dir, null, command);
  }

  private String runWithInput(String input, String... command) throws IOException {
    return runIn(work, input, command);
  }

  private String runIn(Path dir, String input, String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.put("GNUPGHOME", gnupg.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", home.resolve("gitconfig").toString());
    env.remove("GIT_DIR");
    Path errors = Files.createTempFile(home, "stderr", ".txt");
    builder.redirectError(errors.toFile());
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out;
    try (InputStream stdout = process.getInputStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 60s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command)
              + " failed ("
              + process.exitValue()
              + "): "
              + Files.readString(errors));
    }
    Files.delete(errors);
    return out;
  }

  /** Stops the gpg-agent that gpg started for the private GnuPG home. */
  @Override
  public void close() {
    try {
      if (Files.exists(gnupg.resolve("pubring.kbx"))) {
        run(home, "gpgconf", "--kill", "gpg-agent");
      }
    } catch (IOException e) {
      // The agent exits on its own once its socket folder is gone.
    }
  }
}
