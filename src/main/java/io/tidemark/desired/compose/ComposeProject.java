package io.tidemark.desired.compose;

import io.tidemark.model.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The merged, interpolated and normalised compose model of one target folder, with the files it
 * came from so that any path of it can be located at a file and line.
 *
 * @param folder the target folder relative to the repository root
 * @param variables the interpolation variables ({@code .env} overlaid by configured ones)
 */
public record ComposeProject(
    Map<String, Object> model,
    List<YamlDocument> documents,
    String folder,
    Map<String, String> variables,
    RepoFiles files) {

  public ComposeProject {
    Objects.requireNonNull(model, "model");
    documents = List.copyOf(documents);
    Objects.requireNonNull(folder, "folder");
    variables = Map.copyOf(variables);
    Objects.requireNonNull(files, "files");
  }

  /** The file and line that last declared {@code path} (or its nearest declared parent). */
  public SourceLocation locate(List<String> path) {
    for (int end = path.size(); end > 0; end--) {
      List<String> prefix = path.subList(0, end);
      for (int i = documents.size() - 1; i >= 0; i--) {
        YamlDocument document = documents.get(i);
        if (document.declares(prefix)) {
          return new SourceLocation(document.file(), document.lineOf(prefix));
        }
      }
    }
    return new SourceLocation(documents.isEmpty() ? folder : documents.get(0).file(), 0);
  }

  /** A top-level section ({@code services}, {@code networks}, ...) as a map, empty when absent. */
  public Map<String, Object> section(String name) {
    return ComposeNormalizer.section(model, name);
  }
}
