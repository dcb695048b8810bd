package io.tidemark.cluster.swarm;

import static io.tidemark.cluster.swarm.Json.map;
import static io.tidemark.cluster.swarm.Json.string;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a service's {@code secrets} and {@code configs} into file references as the docker CLI
 * does (target defaulting to the source key, uid and gid {@code "0"}, mode {@code 0444}, sorted by
 * name). The references carry names only: the engine ids ({@code SecretID}, {@code ConfigID}) are
 * looked up when the spec is sent, as the CLI does, and are not part of the desired spec.
 */
final class FileReferences {

  private static final long DEFAULT_MODE = 0444;

  private FileReferences() {}

  static List<Object> secrets(StackContext ctx, Object refs, List<String> path) {
    return references(ctx, refs, path, "secrets", "SecretName", ctx.secretNames);
  }

  static List<Object> configs(StackContext ctx, Object refs, List<String> path) {
    return references(ctx, refs, path, "configs", "ConfigName", ctx.configNames);
  }

  /**
   * The names of the networks, configs and secrets a service spec refers to: what must exist before
   * the service can be written.
   */
  static Set<String> uses(Map<String, Object> serviceSpec) {
    Set<String> out = new HashSet<>();
    Map<String, Object> template = map(serviceSpec.get("TaskTemplate"));
    for (Object network : Json.list(template.get("Networks"))) {
      out.add(string(map(network).get("Target")));
    }
    for (Object network : Json.list(serviceSpec.get("Networks"))) {
      out.add(string(map(network).get("Target")));
    }
    Map<String, Object> container = map(template.get("ContainerSpec"));
    Json.list(container.get("Configs")).forEach(c -> out.add(string(map(c).get("ConfigName"))));
    Json.list(container.get("Secrets")).forEach(c -> out.add(string(map(c).get("SecretName"))));
    return out;
  }

  private static List<Object> references(
      StackContext ctx,
      Object refs,
      List<String> path,
      String section,
      String nameField,
      Map<String, String> names) {
    List<Map<String, Object>> out = new ArrayList<>();
    Set<String> targets = new HashSet<>();
    List<Object> items = Json.list(refs);
    for (int i = 0; i < items.size(); i++) {
      Map<String, Object> ref = map(items.get(i));
      List<String> itemPath = ServiceConverter.child(path, String.valueOf(i));
      String source = string(ref.get("source"));
      if (!ctx.project.section(section).containsKey(source)) {
        ctx.error(
            itemPath,
            "undefined " + section.substring(0, section.length() - 1) + " \"" + source + "\"");
        continue;
      }
      String name = names.get(source);
      if (name == null) {
        continue; // its own conversion failed and was reported there
      }
      String target = string(ref.get("target"));
      target = target.isEmpty() ? source : target;
      if (!targets.add(target)) {
        ctx.error(itemPath, "duplicate target \"" + target + "\"");
      }
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("Name", target);
      file.put("UID", ref.get("uid") == null ? "0" : string(ref.get("uid")));
      file.put("GID", ref.get("gid") == null ? "0" : string(ref.get("gid")));
      file.put("Mode", ref.get("mode") == null ? DEFAULT_MODE : Units.integer(ref.get("mode")));
      Map<String, Object> reference = new LinkedHashMap<>();
      reference.put("File", file);
      reference.put(nameField, name);
      out.add(reference);
    }
    // The CLI sorts by name only, after a map walk, so references to one object come in random
    // order; sorting by target as well makes Tidemark's spec stable.
    out.sort(
        Comparator.comparing((Map<String, Object> r) -> string(r.get(nameField)))
            .thenComparing(r -> string(map(r.get("File")).get("Name"))));
    return new ArrayList<>(out);
  }
}
