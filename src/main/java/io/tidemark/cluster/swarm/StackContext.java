package io.tidemark.cluster.swarm;

import io.tidemark.desired.RenderError;
import io.tidemark.desired.compose.ComposeProject;
import io.tidemark.model.Labels;
import io.tidemark.model.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What converting one stack needs everywhere: the compose project, the stack and target names, the
 * commit, the engine names chosen for configs and secrets, and the errors found so far.
 */
final class StackContext {

  final ComposeProject project;
  final String stack;
  final String target;
  final String commit;
  final List<RenderError> errors = new ArrayList<>();

  /** Compose config key to engine config name (hash-suffixed, or the external name). */
  final Map<String, String> configNames = new LinkedHashMap<>();

  /** Compose secret key to engine secret name (hash-suffixed, or the external name). */
  final Map<String, String> secretNames = new LinkedHashMap<>();

  /** Engine names of configs and secrets whose content was decrypted from a SOPS file. */
  final java.util.Set<String> decrypted = new java.util.HashSet<>();

  StackContext(ComposeProject project, String stack, String target, String commit) {
    this.project = project;
    this.stack = stack;
    this.target = target;
    this.commit = commit;
  }

  /** {@code <stack>_<name>}, as the CLI scopes names. */
  String scope(String name) {
    return stack + "_" + name;
  }

  void error(List<String> path, String message) {
    String where = String.join(".", path);
    errors.add(new RenderError(locate(path), where.isEmpty() ? message : where + ": " + message));
  }

  SourceLocation locate(List<String> path) {
    return project.locate(path);
  }

  /** The labels with the stack namespace label, sorted like Go's JSON encoding of a map. */
  Map<String, Object> stackLabels(Map<String, String> labels) {
    Map<String, Object> out = new TreeMap<>(labels);
    out.put(Labels.STACK_NAMESPACE, stack);
    return new LinkedHashMap<>(out);
  }

  /** The stack labels plus Tidemark's ownership and commit labels, for top-level objects. */
  Map<String, Object> ownedLabels(Map<String, String> labels) {
    Map<String, Object> out = new TreeMap<>(stackLabels(labels));
    out.put(Labels.TARGET, target);
    out.put(Labels.COMMIT, commit);
    return new LinkedHashMap<>(out);
  }

  static List<String> path(String... keys) {
    return List.of(keys);
  }
}
