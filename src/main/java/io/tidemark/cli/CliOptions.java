package io.tidemark.cli;

import io.tidemark.config.TidemarkConfig.TargetKind;
import io.tidemark.diff.IgnoreRule;
import io.tidemark.source.SignaturePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The parsed command line of a one-shot {@code plan}, {@code diff} or {@code apply}. */
record CliOptions(
    Command command,
    String repo,
    Optional<String> ref,
    String path,
    TargetKind kind,
    String name,
    String stack,
    Optional<String> dockerHost,
    Optional<String> kubeconfig,
    Optional<String> context,
    Optional<String> namespace,
    Map<String, String> variables,
    boolean prune,
    boolean adopt,
    List<IgnoreRule> ignore,
    Duration healthTimeout,
    int concurrency,
    Output output,
    boolean noColor,
    Optional<String> gitUsername,
    Optional<Path> gitPasswordFile,
    Optional<Path> gitSshKey,
    Optional<Path> gitKnownHosts,
    Optional<Path> dataDir,
    SignaturePolicy signatures,
    Optional<Path> sopsAgeKeyFile,
    List<HelmRepository> helmRepositories) {

  CliOptions {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(kind, "kind");
    variables = Map.copyOf(variables);
    ignore = List.copyOf(ignore);
    Objects.requireNonNull(signatures, "signatures");
    helmRepositories = List.copyOf(helmRepositories);
  }

  /**
   * A chart repository or OCI registry the command line names, as {@code
   * tidemark.helm.repositories.<name>} does for the service: its URL (a prefix of the releases'
   * {@code repository}), user name, the file that holds its password or token, and plain HTTP.
   */
  record HelmRepository(
      String url, Optional<String> username, Optional<Path> passwordFile, boolean plainHttp) {

    HelmRepository {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(passwordFile, "passwordFile");
    }
  }

  /** The one-shot commands; {@code diff} is another name for {@code plan}. */
  enum Command {
    PLAN,
    APPLY,
    /** Print the objects the folder renders to; no cluster is asked. */
    RENDER
  }

  /** How the report is printed. */
  enum Output {
    TEXT,
    JSON
  }

  /** A command line that cannot run; the message says why, for the user. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code args} (command first); options take {@code --name value} or {@code --name=value}.
   */
  static CliOptions parse(List<String> args) throws UsageException {
    if (args.isEmpty()) {
      throw new UsageException("no command given");
    }
    Command command =
        switch (args.get(0)) {
          case "plan", "diff" -> Command.PLAN;
          case "apply" -> Command.APPLY;
          case "render" -> Command.RENDER;
          default -> throw new UsageException("unknown command '" + args.get(0) + "'");
        };
    Map<String, String> single = new LinkedHashMap<>();
    Map<String, String> variables = new LinkedHashMap<>();
    List<IgnoreRule> ignore = new ArrayList<>();
    List<HelmRepository> helmRepositories = new ArrayList<>();
    boolean prune = false;
    boolean adopt = false;
    boolean noColor = false;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String option = arg.substring(2);
      String value = null;
      int eq = option.indexOf('=');
      if (eq >= 0) {
        value = option.substring(eq + 1);
        option = option.substring(0, eq);
      }
      if (option.equals("prune") || option.equals("no-color") || option.equals("adopt")) {
        if (value != null) {
          throw new UsageException("--" + option + " takes no value");
        }
        prune |= option.equals("prune");
        adopt |= option.equals("adopt");
        noColor |= option.equals("no-color");
        continue;
      }
      if (!VALUED.contains(option)) {
        throw new UsageException("unknown option --" + option);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException("--" + option + " needs a value");
        }
        value = args.get(++i);
      }
      if (option.equals("var")) {
        int sep = value.indexOf('=');
        if (sep <= 0) {
          throw new UsageException("--var takes KEY=VALUE, not '" + value + "'");
        }
        variables.put(value.substring(0, sep), value.substring(sep + 1));
      } else if (option.equals("ignore")) {
        ignore.add(ignoreRule(ignore.size(), value));
      } else if (option.equals("helm-repository")) {
        helmRepositories.add(helmRepository(value));
      } else if (single.put(option, value) != null) {
        throw new UsageException("--" + option + " is given twice");
      }
    }
    String repo =
        command == Command.RENDER ? single.getOrDefault("repo", ".") : required(single, "repo");
    TargetKind kind = kind(required(single, "kind"));
    Optional<String> stack = Optional.ofNullable(single.get("stack"));
    String name = Optional.ofNullable(single.get("name")).or(() -> stack).orElse("cli");
    return new CliOptions(
        command,
        repo,
        Optional.ofNullable(single.get("ref")),
        single.getOrDefault("path", "."),
        kind,
        name,
        stack.orElse(name),
        Optional.ofNullable(single.get("docker-host")),
        Optional.ofNullable(single.get("kubeconfig")),
        Optional.ofNullable(single.get("context")),
        Optional.ofNullable(single.get("namespace")),
        variables,
        prune,
        adopt,
        ignore,
        duration(single.getOrDefault("health-timeout", "2m")),
        concurrency(single.getOrDefault("concurrency", "8")),
        output(single.getOrDefault("output", "text")),
        noColor,
        Optional.ofNullable(single.get("git-username")),
        Optional.ofNullable(single.get("git-password-file")).map(Path::of),
        Optional.ofNullable(single.get("git-ssh-key")).map(Path::of),
        Optional.ofNullable(single.get("git-known-hosts")).map(Path::of),
        Optional.ofNullable(single.get("data-dir")).map(Path::of),
        signatures(single),
        Optional.ofNullable(single.get("sops-age-key-file")).map(Path::of),
        helmRepositories);
  }

  /**
   * A chart repository from {@code URL[,username=USER][,password-file=FILE][,plain-http]}; the
   * password is never on the command line, where {@code ps} and shell history would show it.
   */
  private static HelmRepository helmRepository(String value) throws UsageException {
    String[] parts = value.split(",");
    String url = parts[0].strip();
    if (!url.startsWith("https://") && !url.startsWith("http://") && !url.startsWith("oci://")) {
      throw new UsageException(
          "--helm-repository takes URL[,username=USER][,password-file=FILE][,plain-http] with an"
              + " https://, http:// or oci:// URL, not '"
              + value
              + "'");
    }
    Optional<String> username = Optional.empty();
    Optional<Path> passwordFile = Optional.empty();
    boolean plainHttp = false;
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].strip();
      if (part.equals("plain-http")) {
        plainHttp = true;
      } else if (part.startsWith("username=") && part.length() > "username=".length()) {
        username = Optional.of(part.substring("username=".length()));
      } else if (part.startsWith("password-file=") && part.length() > "password-file=".length()) {
        passwordFile = Optional.of(Path.of(part.substring("password-file=".length())));
      } else {
        throw new UsageException(
            "--helm-repository "
                + url
                + ": unknown setting '"
                + part.split("=", 2)[0]
                + "' (username=, password-file= or plain-http)");
      }
    }
    return new HelmRepository(url, username, passwordFile, plainHttp);
  }

  /**
   * An ignore rule from {@code KIND:NAME:PATH[,PATH...]}, as {@code tidemark.targets.<n>.ignore[i]}
   * takes them (an empty kind or name matches every object).
   */
  private static IgnoreRule ignoreRule(int index, String value) throws UsageException {
    String[] parts = value.split(":", 3);
    if (parts.length != 3) {
      throw new UsageException(
          "--ignore takes KIND:NAME:PATH[,PATH...] (e.g. Service:*:Mode.Replicated.Replicas),"
              + " not '"
              + value
              + "'");
    }
    try {
      return IgnoreRule.of("--ignore[" + index + "]", parts[0], parts[1], parts[2]);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--ignore '" + value + "': " + e.getMessage());
    }
  }

  private static SignaturePolicy signatures(Map<String, String> options) throws UsageException {
    String mode = options.getOrDefault("signatures", "off").toLowerCase(Locale.ROOT);
    Optional<Path> allowed = Optional.ofNullable(options.get("allowed-signers-file")).map(Path::of);
    Optional<Path> openPgp = Optional.ofNullable(options.get("openpgp-keys-file")).map(Path::of);
    switch (mode) {
      case "off" -> {
        if (allowed.isPresent() || openPgp.isPresent()) {
          throw new UsageException(
              "--allowed-signers-file and --openpgp-keys-file need --signatures require");
        }
        return SignaturePolicy.off();
      }
      case "require" -> {
        if (allowed.isEmpty() && openPgp.isEmpty()) {
          throw new UsageException(
              "--signatures require needs --allowed-signers-file or --openpgp-keys-file");
        }
        return new SignaturePolicy(true, allowed, openPgp);
      }
      default ->
          throw new UsageException(
              "--signatures must be off or require, not '" + options.get("signatures") + "'");
    }
  }

  private static final List<String> VALUED =
      List.of(
          "repo",
          "ref",
          "path",
          "kind",
          "name",
          "stack",
          "docker-host",
          "kubeconfig",
          "context",
          "namespace",
          "var",
          "ignore",
          "health-timeout",
          "concurrency",
          "output",
          "git-username",
          "git-password-file",
          "git-ssh-key",
          "git-known-hosts",
          "data-dir",
          "signatures",
          "allowed-signers-file",
          "openpgp-keys-file",
          "sops-age-key-file",
          "helm-repository");

  private static String required(Map<String, String> options, String name) throws UsageException {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  private static TargetKind kind(String value) throws UsageException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "swarm" -> TargetKind.SWARM;
      case "kubernetes", "k8s" -> TargetKind.KUBERNETES;
      default ->
          throw new UsageException("--kind must be swarm or kubernetes, not '" + value + "'");
    };
  }

  private static Output output(String value) throws UsageException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "text" -> Output.TEXT;
      case "json" -> Output.JSON;
      default -> throw new UsageException("--output must be text or json, not '" + value + "'");
    };
  }

  private static int concurrency(String value) throws UsageException {
    try {
      int limit = Integer.parseInt(value.trim());
      if (limit >= 1) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below, like a number under 1
    }
    throw new UsageException(
        "--concurrency must be a whole number of at least 1, not '" + value + "'");
  }

  /** {@code 90s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT90S}). */
  static Duration duration(String value) throws UsageException {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("pt") || text.startsWith("p")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> throw new UsageException("not a duration: '" + value + "'");
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new UsageException("not a duration: '" + value + "' (use 90s, 5m or 1h)");
    }
  }
}
