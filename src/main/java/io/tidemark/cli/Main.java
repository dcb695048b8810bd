package io.tidemark.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * Tidemark's entry point: without arguments (or with {@code serve}) it runs the service; with a
 * command ({@code plan}, {@code diff}, {@code apply}) it runs that command once in plain Java,
 * without starting Quarkus (no HTTP server, no scheduler), and exits with its code.
 */
@QuarkusMain
public final class Main {

  Main() {}

  public static void main(String... args) {
    if (args.length == 0 || args[0].equals("serve")) {
      Quarkus.run(args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    CliLogging.quiet();
    int code = new Cli(System.getenv(), System.console() != null).run(args, System.out, System.err);
    System.exit(code);
  }
}
