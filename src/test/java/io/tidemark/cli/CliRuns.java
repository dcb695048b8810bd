package io.tidemark.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the command line in-process for tests of other packages, capturing what it prints. */
public final class CliRuns {

  /** What one run printed, and its exit code. */
  public record Run(int code, String out, String err) {}

  private CliRuns() {}

  /** {@code tidemark apply --repo REPO --path PATH --kind swarm --stack STACK more...}. */
  public static Run apply(String repo, String path, String stack, String... more) {
    List<String> args = new ArrayList<>(List.of("apply", "--repo", repo, "--path", path));
    args.addAll(List.of("--kind", "swarm", "--stack", stack, "--health-timeout", "60s"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  /** {@code tidemark ARGS...}, in process, with no terminal and an empty environment. */
  public static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Cli(Map.of(), false)
            .run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
