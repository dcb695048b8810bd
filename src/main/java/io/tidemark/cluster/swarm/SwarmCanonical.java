package io.tidemark.cluster.swarm;

import io.tidemark.model.Labels;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Brings a Swarm spec tree, as Tidemark sends it or as the engine returns it, into one canonical
 * form: the engine's defaults filled where absent, server-owned and Tidemark-bookkeeping fields
 * removed, lists whose order carries no meaning keyed by identity (so a diff names the variable,
 * mount or port), and empty values dropped (Go's {@code omitempty} makes them equal to absent).
 */
final class SwarmCanonical {

  private static final long SECOND = 1_000_000_000L;
  private static final String VXLAN_OPTION = "com.docker.network.driver.overlay.vxlanid_list";

  /** Maps whose keys and values are the user's: an empty string there is a real value. */
  private static final Set<String> USER_MAPS =
      Set.of("Labels", "Options", "DriverOpts", "Sysctls", "Env");

  private SwarmCanonical() {}

  static Map<String, Object> service(Map<String, Object> spec) {
    Map<String, Object> s = Trees.mutableCopy(spec);
    removeCommit(s);
    Map<String, Object> task = child(s, "TaskTemplate");
    task.remove("ForceUpdate");
    task.putIfAbsent("Runtime", "container");
    Map<String, Object> container = child(task, "ContainerSpec");
    container.putIfAbsent("StopGracePeriod", 10 * SECOND);
    container.putIfAbsent("Isolation", "default");
    if (Boolean.FALSE.equals(container.get("Init"))) {
      container.remove("Init");
    }
    container.put("Env", envMap(container.get("Env")));
    container.put("Mounts", keyed(container.get("Mounts"), m -> str(m.get("Target"))));
    container.put("Secrets", keyed(container.get("Secrets"), SwarmCanonical::fileKey, "SecretID"));
    container.put("Configs", keyed(container.get("Configs"), SwarmCanonical::fileKey, "ConfigID"));
    container.put("Ulimits", keyed(container.get("Ulimits"), u -> str(u.get("Name"))));
    sortList(container, "Hosts");
    sortList(container, "CapabilityAdd");
    sortList(container, "CapabilityDrop");
    Map<String, Object> restart = child(task, "RestartPolicy");
    restart.putIfAbsent("Condition", "any");
    restart.putIfAbsent("Delay", 5 * SECOND);
    restart.putIfAbsent("MaxAttempts", 0L);
    Map<String, Object> placement = child(task, "Placement");
    sortList(placement, "Constraints");
    task.put("Networks", keyed(task.get("Networks"), n -> str(n.get("Target"))));
    Map<String, Object> mode = child(s, "Mode");
    if (mode.isEmpty()) {
      mode.put("Replicated", new LinkedHashMap<>());
    }
    if (mode.get("Replicated") instanceof Map<?, ?> replicated) {
      Json.map(replicated).putIfAbsent("Replicas", 1L);
    }
    updateDefaults(child(s, "UpdateConfig"));
    updateDefaults(child(s, "RollbackConfig"));
    Map<String, Object> endpoint = child(s, "EndpointSpec");
    if (str(endpoint.get("Mode")).isEmpty()) {
      endpoint.put("Mode", "vip");
    }
    endpoint.put("Ports", keyed(endpoint.get("Ports"), SwarmCanonical::portKey, "PortKey"));
    return prune(s);
  }

  /**
   * A network create request or inspect answer, reduced to what a create sets: the engine's VXLAN
   * id option and its default IPAM driver are not the user's.
   */
  static Map<String, Object> network(Map<String, Object> spec) {
    Map<String, Object> s = Trees.mutableCopy(spec);
    removeCommit(s);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String field : List.of("Name", "Driver", "Internal", "Attachable", "Ingress", "Labels")) {
      out.put(field, s.get(field));
    }
    Map<String, Object> options = new LinkedHashMap<>(Json.map(s.get("Options")));
    options.remove(VXLAN_OPTION);
    out.put("Options", options);
    Map<String, Object> ipam = Json.map(s.get("IPAM"));
    String driver = str(ipam.get("Driver"));
    List<String> subnets = new ArrayList<>();
    for (Object config : Json.list(ipam.get("Config"))) {
      subnets.add(str(Json.map(config).get("Subnet")));
    }
    out.put("IPAM", Json.obj("Driver", driver.isEmpty() ? "default" : driver, "Subnets", subnets));
    return prune(out);
  }

  /** A config or secret spec: name, labels, data (configs only; the engine hides secret data). */
  static Map<String, Object> fileObject(Map<String, Object> spec, boolean secret) {
    Map<String, Object> s = Trees.mutableCopy(spec);
    removeCommit(s);
    if (secret) {
      s.remove("Data");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String field : List.of("Name", "Labels", "Data", "Driver", "Templating")) {
      out.put(field, s.get(field));
    }
    return prune(out);
  }

  static Map<String, Object> withNetworkNames(Map<String, Object> spec, Map<String, String> names) {
    Map<String, Object> s = Trees.mutableCopy(spec);
    for (Object attachment : Json.list(Json.map(s.get("TaskTemplate")).get("Networks"))) {
      Map<String, Object> a = Json.map(attachment);
      String target = str(a.get("Target"));
      if (names.containsKey(target)) {
        a.put("Target", names.get(target));
      }
    }
    return s;
  }

  private static void updateDefaults(Map<String, Object> config) {
    config.putIfAbsent("Parallelism", 1L);
    if (str(config.get("FailureAction")).isEmpty()) {
      config.put("FailureAction", "pause");
    }
    config.putIfAbsent("Monitor", 5 * SECOND);
    config.putIfAbsent("MaxFailureRatio", 0L);
    if (str(config.get("Order")).isEmpty()) {
      config.put("Order", "stop-first");
    }
  }

  /** A secret or config reference is identified by where it appears in the container. */
  /** The key a secret or config reference has in the report: its file name in the container. */
  static String fileKey(Map<String, Object> reference) {
    Object file = reference.get("File");
    if (file instanceof Map<?, ?> f) {
      return str(f.get("Name"));
    }
    return "runtime:" + str(reference.get("ConfigName"));
  }

  /** The key a published port has in the report: {@code published:target/protocol}. */
  static String portKey(Map<String, Object> port) {
    port.putIfAbsent("Protocol", "tcp");
    port.putIfAbsent("PublishMode", "ingress");
    return str(port.get("PublishedPort"))
        + ":"
        + str(port.get("TargetPort"))
        + "/"
        + port.get("Protocol");
  }

  private static void removeCommit(Map<String, Object> spec) {
    if (spec.get("Labels") instanceof Map<?, ?> labels) {
      Json.map(labels).remove(Labels.COMMIT);
    }
  }

  /** {@code ["A=1", "B"]} as {@code {A: "1", B: null}}, so a diff names the variable. */
  private static Object envMap(Object env) {
    if (!(env instanceof List<?> list)) {
      return env;
    }
    Map<String, Object> out = new TreeMap<>();
    for (Object item : list) {
      String entry = str(item);
      int eq = entry.indexOf('=');
      out.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
    }
    return new LinkedHashMap<>(out);
  }

  @FunctionalInterface
  private interface Key {
    String of(Map<String, Object> item);
  }

  private static Object keyed(Object value, Key key, String... drop) {
    if (!(value instanceof List<?> list)) {
      return value;
    }
    Map<String, Object> out = new TreeMap<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> m) {
        Map<String, Object> entry = Json.map(m);
        for (String field : drop) {
          entry.remove(field);
        }
        out.put(key.of(entry), entry);
      }
    }
    return new LinkedHashMap<>(out);
  }

  private static void sortList(Map<String, Object> map, String key) {
    if (map.get(key) instanceof List<?> list) {
      List<String> sorted = new ArrayList<>();
      list.forEach(v -> sorted.add(str(v)));
      sorted.sort(null);
      map.put(key, sorted);
    }
  }

  private static Map<String, Object> child(Map<String, Object> map, String key) {
    if (!(map.get(key) instanceof Map<?, ?>)) {
      map.put(key, new LinkedHashMap<String, Object>());
    }
    return Json.map(map.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> prune(Map<String, Object> map) {
    return (Map<String, Object>) prune(map, false);
  }

  /** Drops nulls, false, empty strings and empty containers, except values inside user maps. */
  private static Object prune(Object value, boolean userMap) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            String key = String.valueOf(k);
            Object pruned = prune(v, USER_MAPS.contains(key));
            if (userMap ? pruned != null || map.containsKey(k) : !empty(pruned)) {
              out.put(key, pruned);
            }
          });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(prune(v, false)));
      return out;
    }
    return value;
  }

  private static boolean empty(Object value) {
    return value == null
        || Boolean.FALSE.equals(value)
        || value instanceof String s && s.isEmpty()
        || value instanceof Map<?, ?> m && m.isEmpty()
        || value instanceof List<?> l && l.isEmpty();
  }

  private static String str(Object value) {
    return value == null ? "" : String.valueOf(value);
  }
}
