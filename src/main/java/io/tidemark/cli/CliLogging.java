package io.tidemark.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Logging for the command line: warnings and errors only, one line each, on standard error, so that
 * standard output carries nothing but the report.
 */
final class CliLogging {

  private CliLogging() {}

  static void quiet() {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler stderr = new ConsoleHandler(); // System.err, by definition
    stderr.setLevel(Level.WARNING);
    stderr.setFormatter(new OneLine());
    root.addHandler(stderr);
    root.setLevel(Level.WARNING);
  }

  /** {@code tidemark: warning: message}. */
  private static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      String message =
          record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : formatMessage(record);
      String level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error" : "warning";
      return "tidemark: " + level + ": " + message + System.lineSeparator();
    }
  }
}
