package io.tidemark.cluster.swarm;

import static io.tidemark.cluster.swarm.Json.map;
import static io.tidemark.cluster.swarm.Json.obj;
import static io.tidemark.cluster.swarm.Json.putIf;
import static io.tidemark.cluster.swarm.Json.string;
import static io.tidemark.cluster.swarm.Json.strings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts compose networks as the docker CLI does: the networks that services use (the stack's
 * {@code default} network for services that name none) become overlay network create requests;
 * external ones are referenced by name and never created; service attachments carry aliases.
 */
final class NetworkConverter {

  static final String DEFAULT = "default";
  private static final Set<String> PREDEFINED = Set.of("host", "bridge", "none", "default");

  private NetworkConverter() {}

  /** The compose keys of the networks that at least one service uses, sorted. */
  static Set<String> used(Map<String, Object> services) {
    Set<String> used = new TreeSet<>();
    services.forEach(
        (name, service) -> {
          Map<String, Object> networks = map(map(service).get("networks"));
          if (networks.isEmpty()) {
            used.add(DEFAULT);
          } else {
            used.addAll(networks.keySet());
          }
        });
    return used;
  }

  /** The network create requests by engine name, for the used, non-external networks. */
  static Map<String, Map<String, Object>> specs(StackContext ctx) {
    Map<String, Object> declared = ctx.project.section("networks");
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (String key : used(ctx.project.section("services"))) {
      Map<String, Object> network = map(declared.get(key));
      if (external(network)) {
        continue;
      }
      String name = string(network.get("name"));
      name = name.isEmpty() ? ctx.scope(key) : name;
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("Name", name);
      spec.put("CheckDuplicate", true);
      String driver = string(network.get("driver"));
      spec.put("Driver", driver.isEmpty() ? "overlay" : driver);
      spec.put("Scope", "");
      spec.put("IPAM", ipam(map(network.get("ipam"))));
      spec.put("Internal", network.get("internal") != null && Units.bool(network.get("internal")));
      spec.put(
          "Attachable", network.get("attachable") != null && Units.bool(network.get("attachable")));
      spec.put("Ingress", false);
      spec.put("ConfigOnly", false);
      spec.put("ConfigFrom", null);
      Map<String, String> options = Json.stringMap(network.get("driver_opts"));
      spec.put(
          "Options",
          options.isEmpty() ? null : new LinkedHashMap<String, Object>(new TreeMap<>(options)));
      spec.put("Labels", ctx.ownedLabels(Json.stringMap(network.get("labels"))));
      out.put(name, spec);
    }
    return out;
  }

  private static Object ipam(Map<String, Object> ipam) {
    String driver = string(ipam.get("driver"));
    List<Object> configs = Json.list(ipam.get("config"));
    if (driver.isEmpty() && configs.isEmpty()) {
      return null;
    }
    List<Object> out = new ArrayList<>();
    for (Object config : configs) {
      out.add(obj("Subnet", string(map(config).get("subnet"))));
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("Driver", driver);
    spec.put("Options", null);
    spec.put("Config", out.isEmpty() ? null : out);
    return spec;
  }

  static boolean external(Map<String, Object> network) {
    return network.get("external") != null && Units.bool(network.get("external"));
  }

  /** The service's network attachments, sorted by target, with the service name as alias. */
  static List<Object> attachments(
      StackContext ctx, String service, Map<String, Object> spec, List<String> path) {
    Map<String, Object> networks = map(spec.get("networks"));
    if (networks.isEmpty()) {
      networks = new LinkedHashMap<>();
      networks.put(DEFAULT, null);
    }
    Map<String, Object> declared = ctx.project.section("networks");
    List<Map<String, Object>> out = new ArrayList<>();
    networks.forEach(
        (key, value) -> {
          if (!declared.containsKey(key) && !key.equals(DEFAULT)) {
            ctx.error(
                ServiceConverter.child(path, "networks"), "undefined network \"" + key + "\"");
            return;
          }
          Map<String, Object> network = map(declared.get(key));
          String name = string(network.get("name"));
          if (name.isEmpty()) {
            name = external(network) ? key : ctx.scope(key);
          }
          Map<String, Object> attachment = new LinkedHashMap<>();
          attachment.put("Target", name);
          List<String> aliases = new ArrayList<>(strings(map(value).get("aliases")));
          if (!PREDEFINED.contains(name) && !name.startsWith("container:")) {
            aliases.add(service);
          }
          putIf(attachment, "Aliases", aliases);
          putIf(
              attachment,
              "DriverOpts",
              new LinkedHashMap<String, Object>(
                  new TreeMap<>(Json.stringMap(map(value).get("driver_opts")))));
          out.add(attachment);
        });
    out.sort(Comparator.comparing(a -> string(a.get("Target"))));
    return new ArrayList<>(out);
  }
}
