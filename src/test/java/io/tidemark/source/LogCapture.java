package io.tidemark.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the formatted log lines of the source package while a test runs. */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger("io.tidemark.source");
  private final List<String> lines = new CopyOnWriteArrayList<>();

  LogCapture() {
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  boolean contains(String level, String text) {
    return lines.stream().anyMatch(line -> line.startsWith(level) && line.contains(text));
  }

  @Override
  public void publish(LogRecord record) {
    String message = record.getMessage();
    Object[] params = record.getParameters();
    if (params != null && params.length > 0 && message.contains("%")) {
      message = String.format(message, params);
    }
    lines.add(record.getLevel().getName() + " " + message);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
