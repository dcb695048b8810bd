package io.tidemark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.report.DriftReport;
import io.tidemark.report.RunResult;
import io.tidemark.report.TextReport;
import io.tidemark.source.SourceException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The command line for pipelines: {@code plan} (or {@code diff}) prints what differs between a
 * repository folder and the live cluster, {@code apply} reconciles once. Exit codes: 0 in sync (or
 * applied), 2 drift, 1 error, so that a CI job can gate a merge on them.
 */
public final class Cli {

  /** Live matches Git, or was made to. */
  public static final int OK = 0;

  /** Bad arguments, unreadable repository or revision, unreachable cluster, failed apply. */
  public static final int ERROR = 1;

  /** Live differs from Git. */
  public static final int DRIFT = 2;

  static final String USAGE =
      """
      Usage: tidemark plan|diff|apply --repo DIR|URL --kind swarm|kubernetes [options]
             tidemark render --path FOLDER --kind swarm|kubernetes [--repo DIR|URL] [options]
             tidemark [serve]        run the service (the default without arguments)

        plan, diff                 compare the folder with the live cluster; change nothing
        apply                      one reconcile: write what differs, wait for health
        render                     print the objects the folder renders to (Helm releases
                                   and kustomizations expanded, secrets masked); no cluster
                                   is asked (--repo defaults to the current folder)

        --repo DIR|URL             a local folder (read as it is) or a Git URL (cloned)
        --ref REF                  branch, tag, tags/NAME or commit (default: main for a URL)
        --path FOLDER              the target's folder in the repository (default: .)
        --kind swarm|kubernetes    the kind of cluster
        --name NAME                target name, as ownership labels carry it
                                   (default: the stack name, else "cli")
        --stack STACK              Swarm stack name (default: the target name)
        --docker-host HOST         Docker Engine (default: DOCKER_HOST, else the local socket)
        --kubeconfig FILE          kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)
        --context CONTEXT          kubeconfig context
        --namespace NS             namespace of namespaced objects that name none
        --var KEY=VALUE            ${KEY} for stack files, over the folder's .env (repeatable)
        --prune                    apply: also delete owned objects that left Git
        --adopt                    compare unowned objects Git names field by field and, in
                                   apply, take them over (never another Tidemark target's)
        --ignore KIND:NAME:PATHS   fields neither drift nor written, as a target's ignore[i]:
                                   KIND and NAME (glob) may be empty, PATHS comma-separated in
                                   the report's syntax (repeatable), e.g.
                                   --ignore 'Service:*_web:Mode.Replicated.Replicas'
        --health-timeout DURATION  apply: how long to wait for health (default: 2m)
        --concurrency N            Kubernetes dry-runs or writes of one kind in flight (default: 8)
        --output text|json         report format (default: text)
        --no-color                 no ANSI colours (also when NO_COLOR is set)
        --git-username USER, --git-password-file FILE, --git-ssh-key FILE,
        --git-known-hosts FILE     credentials for a Git URL
        --data-dir DIR             keep the clone here (default: a temporary folder)
        --signatures off|require   require: use the commit only when it is signed by a key of
                                   --allowed-signers-file FILE (SSH, git's allowed_signers) or
                                   --openpgp-keys-file FILE (armored OpenPGP public keys); a
                                   folder is then cloned: its committed --ref (default main)
        --sops-age-key-file FILE   age identities for SOPS files (also SOPS_AGE_KEY_FILE,
                                   SOPS_AGE_KEY)
        --helm-repository URL[,username=USER][,password-file=FILE][,plain-http]
                                   credentials for the Helm chart repositories and OCI
                                   registries under URL, the password read from FILE
                                   (repeatable); charts are cached under --data-dir

      Exit: 0 in sync (plan) or applied (apply), 2 drift, 1 error.
      """;

  private final Map<String, String> env;
  private final boolean terminal;
  private final ObjectMapper json =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /**
   * @param env the process environment (NO_COLOR)
   * @param terminal whether standard output is a terminal, so that colours can be read
   */
  public Cli(Map<String, String> env, boolean terminal) {
    this.env = Map.copyOf(env);
    this.terminal = terminal;
  }

  /** Runs one command and returns its exit code; the report goes to {@code out}. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    List<String> list = List.of(args);
    if (list.isEmpty() || list.contains("--help") || list.contains("-h") || isHelp(list)) {
      (list.isEmpty() ? err : out).print(USAGE);
      return list.isEmpty() ? ERROR : OK;
    }
    CliOptions options;
    try {
      options = CliOptions.parse(list);
    } catch (CliOptions.UsageException e) {
      err.println("tidemark: " + e.getMessage());
      err.print(USAGE);
      return ERROR;
    }
    if (options.command() == CliOptions.Command.RENDER) {
      return render(options, out, err);
    }
    try (OneShot run = new OneShot(options)) {
      DriftReport report = run.run();
      print(report, options, out);
      return exitCode(report.result());
    } catch (SourceException | IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("tidemark: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return ERROR;
    } catch (RuntimeException e) {
      err.println("tidemark: unexpected error: " + e);
      return ERROR;
    }
  }

  /** Prints the rendered objects; a folder that does not render prints every error, exit 1. */
  private static int render(CliOptions options, PrintStream out, PrintStream err) {
    try (OneShot run = new OneShot(options)) {
      out.print(RenderedObjects.yaml(run.render()));
      out.flush();
      return OK;
    } catch (InvalidRevisionException e) {
      for (RenderError error : e.errors()) {
        err.println("tidemark: " + error);
      }
      return ERROR;
    } catch (SourceException | IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("tidemark: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return ERROR;
    }
  }

  private static boolean isHelp(List<String> args) {
    return args.size() == 1 && args.get(0).equals("help");
  }

  private void print(DriftReport report, CliOptions options, PrintStream out) throws IOException {
    if (options.output() == CliOptions.Output.JSON) {
      out.println(json.writeValueAsString(report));
    } else {
      String noColor = env.get("NO_COLOR");
      boolean colour = terminal && !options.noColor() && (noColor == null || noColor.isEmpty());
      out.print(TextReport.render(report, colour));
    }
    out.flush();
  }

  static int exitCode(RunResult result) {
    return switch (result) {
      case IN_SYNC, APPLIED -> OK;
      // In apply mode, drift left after the run is what the apply could not touch: conflicts.
      case DRIFT_DETECTED -> DRIFT;
      default -> ERROR;
    };
  }
}
