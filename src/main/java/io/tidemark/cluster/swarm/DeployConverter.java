package io.tidemark.cluster.swarm;

import static io.tidemark.cluster.swarm.Json.list;
import static io.tidemark.cluster.swarm.Json.map;
import static io.tidemark.cluster.swarm.Json.obj;
import static io.tidemark.cluster.swarm.Json.putIf;
import static io.tidemark.cluster.swarm.Json.string;
import static io.tidemark.cluster.swarm.Json.strings;
import static io.tidemark.cluster.swarm.ServiceConverter.child;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a service's {@code deploy:} section (and its {@code ports} and {@code restart}) into the
 * mode, resources, restart policy, placement, update and rollback configs and endpoint spec, as the
 * docker CLI does.
 */
final class DeployConverter {

  private final StackContext ctx;

  DeployConverter(StackContext ctx) {
    this.ctx = ctx;
  }

  Map<String, Object> mode(Map<String, Object> deploy, List<String> path) {
    String mode = string(deploy.get("mode"));
    Object replicas = deploy.get("replicas");
    Long count = replicas == null ? null : Units.integer(replicas);
    List<String> modePath = child(child(path, "deploy"), "mode");
    switch (mode) {
      case "", "replicated" -> {
        Map<String, Object> replicated = new LinkedHashMap<>();
        if (count != null) {
          replicated.put("Replicas", count);
        }
        return obj("Replicated", replicated);
      }
      case "global", "global-job" -> {
        if (count != null) {
          ctx.error(modePath, "replicas can only be used with replicated or replicated-job mode");
        }
        return obj(mode.equals("global") ? "Global" : "GlobalJob", new LinkedHashMap<>());
      }
      case "replicated-job" -> {
        Map<String, Object> job = new LinkedHashMap<>();
        if (count != null) {
          job.put("MaxConcurrent", count);
          job.put("TotalCompletions", count);
        }
        return obj("ReplicatedJob", job);
      }
      default -> {
        ctx.error(modePath, "unknown mode: " + mode);
        return obj("Replicated", new LinkedHashMap<>());
      }
    }
  }

  Map<String, Object> resources(Map<String, Object> deploy, List<String> path) {
    Map<String, Object> resources = map(deploy.get("resources"));
    List<String> rp = child(child(path, "deploy"), "resources");
    Map<String, Object> out = new LinkedHashMap<>();
    if (resources.get("limits") != null) {
      Map<String, Object> limits = map(resources.get("limits"));
      Map<String, Object> limit = new LinkedHashMap<>();
      putIf(limit, "NanoCPUs", cpus(limits.get("cpus"), child(rp, "limits")));
      putIf(limit, "MemoryBytes", bytes(limits.get("memory"), child(rp, "limits")));
      putIf(limit, "Pids", limits.get("pids") == null ? 0L : Units.integer(limits.get("pids")));
      out.put("Limits", limit);
    }
    if (resources.get("reservations") != null) {
      Map<String, Object> reservations = map(resources.get("reservations"));
      Map<String, Object> reservation = new LinkedHashMap<>();
      putIf(reservation, "NanoCPUs", cpus(reservations.get("cpus"), child(rp, "reservations")));
      putIf(
          reservation, "MemoryBytes", bytes(reservations.get("memory"), child(rp, "reservations")));
      List<Object> generic = new ArrayList<>();
      for (Object item : list(reservations.get("generic_resources"))) {
        Map<String, Object> discrete = map(map(item).get("discrete_resource_spec"));
        Map<String, Object> resource = new LinkedHashMap<>();
        if (!discrete.isEmpty()) {
          Map<String, Object> spec = new LinkedHashMap<>();
          putIf(spec, "Kind", string(discrete.get("kind")));
          putIf(
              spec,
              "Value",
              discrete.get("value") == null ? 0L : Units.integer(discrete.get("value")));
          resource.put("DiscreteResourceSpec", spec);
        }
        generic.add(resource);
      }
      putIf(reservation, "GenericResources", generic);
      out.put("Reservations", reservation);
    }
    return out;
  }

  Map<String, Object> restartPolicy(
      Map<String, Object> service, Map<String, Object> deploy, List<String> path) {
    if (deploy.get("restart_policy") != null) {
      Map<String, Object> policy = map(deploy.get("restart_policy"));
      List<String> pp = child(child(path, "deploy"), "restart_policy");
      Map<String, Object> out = new LinkedHashMap<>();
      putIf(out, "Condition", string(policy.get("condition")));
      if (policy.get("delay") != null) {
        out.put("Delay", duration(policy.get("delay"), child(pp, "delay")));
      }
      if (policy.get("max_attempts") != null) {
        out.put("MaxAttempts", Units.integer(policy.get("max_attempts")));
      }
      if (policy.get("window") != null) {
        out.put("Window", duration(policy.get("window"), child(pp, "window")));
      }
      return out;
    }
    String restart = string(service.get("restart"));
    if (restart.isEmpty()) {
      return null;
    }
    String[] parts = restart.split(":", 2);
    long retries = 0;
    if (parts.length == 2) {
      try {
        retries = Long.parseLong(parts[1]);
      } catch (NumberFormatException e) {
        ctx.error(child(path, "restart"), "invalid restart policy \"" + restart + "\"");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    switch (parts[0]) {
      case "no" -> {
        return null;
      }
      case "always", "unless-stopped" -> out.put("Condition", "any");
      case "on-failure" -> out.put("Condition", "on-failure");
      default -> {
        ctx.error(child(path, "restart"), "invalid restart policy \"" + restart + "\"");
        return null;
      }
    }
    if (retries > 0) {
      out.put("MaxAttempts", retries);
    }
    return out;
  }

  Map<String, Object> placement(Map<String, Object> deploy) {
    Map<String, Object> placement = map(deploy.get("placement"));
    Map<String, Object> out = new LinkedHashMap<>();
    putIf(out, "Constraints", strings(placement.get("constraints")));
    List<Object> preferences = new ArrayList<>();
    for (Object preference : list(placement.get("preferences"))) {
      preferences.add(
          obj("Spread", obj("SpreadDescriptor", string(map(preference).get("spread")))));
    }
    putIf(out, "Preferences", preferences);
    if (placement.get("max_replicas_per_node") != null) {
      putIf(out, "MaxReplicas", Units.integer(placement.get("max_replicas_per_node")));
    }
    return out;
  }

  Map<String, Object> updateConfig(Object section, List<String> path) {
    if (section == null) {
      return null;
    }
    Map<String, Object> config = map(section);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "Parallelism",
        config.get("parallelism") == null ? 1L : Units.integer(config.get("parallelism")));
    if (config.get("delay") != null) {
      putIf(out, "Delay", duration(config.get("delay"), child(path, "delay")));
    }
    putIf(out, "FailureAction", string(config.get("failure_action")));
    if (config.get("monitor") != null) {
      putIf(out, "Monitor", duration(config.get("monitor"), child(path, "monitor")));
    }
    out.put(
        "MaxFailureRatio",
        config.get("max_failure_ratio") == null
            ? 0.0
            : Units.number(config.get("max_failure_ratio")));
    out.put("Order", string(config.get("order")));
    return out;
  }

  Map<String, Object> endpoint(Map<String, Object> service, Map<String, Object> deploy) {
    List<Map<String, Object>> ports = new ArrayList<>();
    for (Object item : list(service.get("ports"))) {
      Map<String, Object> port = map(item);
      Map<String, Object> config = new LinkedHashMap<>();
      putIf(config, "Protocol", string(port.get("protocol")));
      putIf(
          config,
          "TargetPort",
          port.get("target") == null ? 0L : Units.integer(port.get("target")));
      putIf(
          config,
          "PublishedPort",
          port.get("published") == null ? 0L : Units.integer(port.get("published")));
      putIf(config, "PublishMode", string(port.get("mode")));
      ports.add(config);
    }
    ports.sort(
        Comparator.<Map<String, Object>>comparingLong(p -> number(p.get("PublishedPort")))
            .thenComparingLong(p -> number(p.get("TargetPort")))
            .thenComparing(p -> string(p.get("Protocol")))
            .thenComparing(p -> string(p.get("PublishMode"))));
    Map<String, Object> out = new LinkedHashMap<>();
    putIf(out, "Mode", string(deploy.get("endpoint_mode")).toLowerCase());
    putIf(out, "Ports", new ArrayList<Object>(ports));
    return out;
  }

  private long cpus(Object value, List<String> path) {
    if (value == null) {
      return 0;
    }
    try {
      return Units.nanoCpus(value);
    } catch (IllegalArgumentException e) {
      ctx.error(child(path, "cpus"), e.getMessage());
      return 0;
    }
  }

  private long bytes(Object value, List<String> path) {
    if (value == null) {
      return 0;
    }
    try {
      return Units.bytes(value);
    } catch (IllegalArgumentException e) {
      ctx.error(child(path, "memory"), e.getMessage());
      return 0;
    }
  }

  private long duration(Object value, List<String> path) {
    try {
      return Units.durationNanos(value);
    } catch (IllegalArgumentException e) {
      ctx.error(path, e.getMessage());
      return 0;
    }
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }
}
