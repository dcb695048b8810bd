package io.tidemark.desired.compose;

import io.tidemark.desired.RenderError;
import java.util.List;

/** Collects errors about one compose file, placing each at the line of the path it concerns. */
public record Findings(YamlDocument document, List<RenderError> errors) {

  public void error(List<String> path, String message) {
    String where = path.isEmpty() ? "" : String.join(".", path) + ": ";
    errors.add(RenderError.at(document.file(), document.lineOf(path), where + message));
  }
}
