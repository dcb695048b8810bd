package io.tidemark.cluster.swarm;

import io.tidemark.diff.FieldPaths;
import io.tidemark.diff.IgnoredFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps the live value of ignored fields in a Swarm spec about to be sent: the engine replaces a
 * whole spec, so an ignored field must be sent as it is live. Paths are the report's, which names
 * an environment variable as {@code TaskTemplate.ContainerSpec.Env.NAME} where the engine has a
 * list of {@code NAME=value}; that one is translated, other paths are taken as they are in the
 * spec.
 */
final class SwarmIgnored {

  private static final List<String> ENV = List.of("TaskTemplate", "ContainerSpec", "Env");

  private SwarmIgnored() {}

  static void keepLive(Map<String, Object> spec, Map<String, Object> live, List<String> paths) {
    List<String> plain = new ArrayList<>();
    for (String path : paths) {
      List<String> steps = FieldPaths.parse(path);
      if (steps.size() == ENV.size() + 1 && steps.subList(0, ENV.size()).equals(ENV)) {
        keepEnv(spec, live, steps.get(ENV.size()));
      } else {
        plain.add(path);
      }
    }
    IgnoredFields.keepLive(spec, live, plain);
  }

  @SuppressWarnings("unchecked")
  private static void keepEnv(Map<String, Object> spec, Map<String, Object> live, String name) {
    if (!(IgnoredFields.resolve(spec, ENV.subList(0, 2)) instanceof Map<?, ?> container)) {
      return;
    }
    List<Object> env = new ArrayList<>();
    if (container.get("Env") instanceof List<?> list) {
      list.stream().filter(e -> !named(e, name)).forEach(env::add);
    }
    if (IgnoredFields.resolve(live, ENV) instanceof List<?> liveEnv) {
      liveEnv.stream().filter(e -> named(e, name)).forEach(env::add);
    }
    ((Map<String, Object>) container).put("Env", env);
  }

  private static boolean named(Object entry, String name) {
    String text = String.valueOf(entry);
    return text.equals(name) || text.startsWith(name + "=");
  }
}
