package io.tidemark.cluster.swarm;

import static io.tidemark.cluster.swarm.Json.map;
import static io.tidemark.cluster.swarm.Json.obj;
import static io.tidemark.cluster.swarm.Json.putIf;
import static io.tidemark.cluster.swarm.Json.string;
import static io.tidemark.cluster.swarm.Json.strings;

import io.tidemark.desired.compose.EnvFile;
import io.tidemark.desired.compose.RepoFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Converts one compose service into the service spec that {@code docker stack deploy} sends to
 * {@code POST /services/create}, field for field, plus Tidemark's ownership labels on the service
 * (never on the container, so that a new commit alone does not restart tasks).
 */
final class ServiceConverter {

  /** The label on which the CLI records the image as written in the compose file. */
  static final String IMAGE_LABEL = "com.docker.stack.image";

  private final StackContext ctx;
  private final DeployConverter deploy;
  private final MountConverter mounts;

  ServiceConverter(StackContext ctx) {
    this.ctx = ctx;
    this.deploy = new DeployConverter(ctx);
    this.mounts = new MountConverter(ctx);
  }

  Map<String, Object> convert(String name, Map<String, Object> service) {
    List<String> path = List.of("services", name);
    Map<String, Object> deploySection = map(service.get("deploy"));
    String image = string(service.get("image"));

    Map<String, Object> labels = ctx.ownedLabels(Json.stringMap(deploySection.get("labels")));
    labels.put(IMAGE_LABEL, image);
    Map<String, Object> spec = obj("Name", ctx.scope(name), "Labels", sorted(labels));

    Map<String, Object> task = new LinkedHashMap<>();
    task.put("ContainerSpec", container(name, service, path));
    task.put("Resources", deploy.resources(deploySection, path));
    putIf(task, "RestartPolicy", deploy.restartPolicy(service, deploySection, path));
    task.put("Placement", deploy.placement(deploySection));
    putIf(task, "Networks", NetworkConverter.attachments(ctx, name, service, path));
    putIf(task, "LogDriver", logDriver(service));
    task.put("ForceUpdate", 0L);
    spec.put("TaskTemplate", task);
    spec.put("Mode", deploy.mode(deploySection, path));
    putIf(
        spec,
        "UpdateConfig",
        deploy.updateConfig(
            deploySection.get("update_config"), child(child(path, "deploy"), "update_config")));
    putIf(
        spec,
        "RollbackConfig",
        deploy.updateConfig(
            deploySection.get("rollback_config"), child(child(path, "deploy"), "rollback_config")));
    spec.put("EndpointSpec", deploy.endpoint(service, deploySection));
    return spec;
  }

  private Map<String, Object> container(String name, Map<String, Object> s, List<String> path) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Image", string(s.get("image")));
    c.put("Labels", ctx.stackLabels(Json.stringMap(s.get("labels"))));
    putIf(c, "Command", strings(s.get("entrypoint")));
    putIf(c, "Args", strings(s.get("command")));
    putIf(c, "Hostname", string(s.get("hostname")));
    putIf(c, "Env", environment(s, path));
    putIf(c, "Dir", string(s.get("working_dir")));
    putIf(c, "User", string(s.get("user")));
    c.put("Privileges", privileges(s, path));
    if (s.get("init") != null) {
      c.put("Init", Units.bool(s.get("init")));
    }
    putIf(c, "StopSignal", string(s.get("stop_signal")));
    putIf(c, "TTY", s.get("tty") != null && Units.bool(s.get("tty")));
    putIf(c, "OpenStdin", s.get("stdin_open") != null && Units.bool(s.get("stdin_open")));
    putIf(c, "ReadOnly", s.get("read_only") != null && Units.bool(s.get("read_only")));
    putIf(c, "Mounts", mounts.mounts(s.get("volumes"), path));
    if (s.get("stop_grace_period") != null) {
      c.put(
          "StopGracePeriod",
          duration(s.get("stop_grace_period"), child(path, "stop_grace_period")));
    }
    putIf(c, "Healthcheck", healthcheck(map(s.get("healthcheck")), s.get("healthcheck"), path));
    putIf(c, "Hosts", hosts(s.get("extra_hosts")));
    putIf(c, "DNSConfig", dns(s));
    putIf(c, "Secrets", FileReferences.secrets(ctx, s.get("secrets"), child(path, "secrets")));
    putIf(c, "Configs", FileReferences.configs(ctx, s.get("configs"), child(path, "configs")));
    putIf(c, "Isolation", string(s.get("isolation")));
    putIf(c, "Sysctls", sortedStrings(Json.stringMap(s.get("sysctls"))));
    List<List<String>> caps = capabilities(strings(s.get("cap_add")), strings(s.get("cap_drop")));
    putIf(c, "CapabilityAdd", caps.get(0));
    putIf(c, "CapabilityDrop", caps.get(1));
    putIf(c, "Ulimits", ulimits(map(s.get("ulimits"))));
    // oom_score_adj is not sent: Engine API v1.41 has no OomScoreAdj and drops it, so sending it
    // would leave a difference that no update can close (the CLI's copy is dropped the same way).
    return c;
  }

  /** env_file entries first, then environment; a key without value takes the variable's value. */
  private List<String> environment(Map<String, Object> s, List<String> path) {
    Map<String, String> vars = ctx.project.variables();
    Map<String, String> merged = new LinkedHashMap<>();
    List<String> files = strings(s.get("env_file"));
    for (int i = 0; i < files.size(); i++) {
      List<String> filePath = child(child(path, "env_file"), String.valueOf(i));
      String file = files.get(i);
      try {
        List<EnvFile.Problem> problems = new ArrayList<>();
        String text = ctx.project.files().readText(ctx.project.folder(), file);
        for (String entry : EnvFile.entries(text, vars::get, problems)) {
          int eq = entry.indexOf('=');
          putEnv(merged, entry.substring(0, eq), entry.substring(eq + 1), vars);
        }
        problems.forEach(p -> ctx.error(filePath, file + " line " + p.line() + ": " + p.message()));
      } catch (RepoFiles.PathException e) {
        ctx.error(filePath, e.getMessage());
      }
    }
    map(s.get("environment"))
        .forEach((k, v) -> putEnv(merged, k, v == null ? null : string(v), vars));
    TreeSet<String> out = new TreeSet<>();
    merged.forEach((k, v) -> out.add(v == null ? k : k + "=" + v));
    return new ArrayList<>(out);
  }

  private static void putEnv(
      Map<String, String> env, String key, String value, Map<String, String> vars) {
    boolean fromVariables = (value == null || value.isEmpty()) && vars.containsKey(key);
    env.put(key, fromVariables ? vars.get(key) : value);
  }

  private Map<String, Object> privileges(Map<String, Object> s, List<String> path) {
    Map<String, Object> cred = map(s.get("credential_spec"));
    Object credentialSpec = null;
    if (!cred.isEmpty()) {
      if (cred.size() > 1) {
        ctx.error(child(path, "credential_spec"), "set only one of config, file and registry");
      }
      String config = string(cred.get("config"));
      credentialSpec =
          obj(
              "Config",
              config,
              "File",
              string(cred.get("file")),
              "Registry",
              string(cred.get("registry")));
    }
    return obj("CredentialSpec", credentialSpec, "SELinuxContext", null, "NoNewPrivileges", false);
  }

  private Map<String, Object> healthcheck(Map<String, Object> h, Object raw, List<String> path) {
    if (raw == null) {
      return null;
    }
    List<String> hp = child(path, "healthcheck");
    if (h.get("disable") != null && Units.bool(h.get("disable"))) {
      if (!strings(h.get("test")).isEmpty()) {
        ctx.error(hp, "test and disable can't be set at the same time");
      }
      return obj("Test", List.of("NONE"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    putIf(out, "Test", strings(h.get("test")));
    for (String[] f :
        new String[][] {
          {"interval", "Interval"},
          {"timeout", "Timeout"},
          // start_interval is not sent: Engine API v1.41 has no StartInterval and drops it.
          {"start_period", "StartPeriod"}
        }) {
      if (h.get(f[0]) != null) {
        putIf(out, f[1], duration(h.get(f[0]), child(hp, f[0])));
      }
    }
    if (h.get("retries") != null) {
      putIf(out, "Retries", (long) Units.number(h.get("retries")));
    }
    // The CLI sends an (empty) health config whenever the key is present.
    return out.isEmpty() ? null : out;
  }

  private static List<String> hosts(Object extraHosts) {
    List<String> out = new ArrayList<>();
    for (String entry : strings(extraHosts)) {
      int colon = entry.indexOf(':');
      if (colon >= 0) {
        out.add(entry.substring(colon + 1) + " " + entry.substring(0, colon));
      }
    }
    return out;
  }

  private static Map<String, Object> dns(Map<String, Object> s) {
    List<String> servers = strings(s.get("dns"));
    List<String> search = strings(s.get("dns_search"));
    if (servers.isEmpty() && search.isEmpty()) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    putIf(out, "Nameservers", servers.stream().filter(ServiceConverter::isIp).toList());
    putIf(out, "Search", search);
    return out;
  }

  private static boolean isIp(String text) {
    return text.matches("[0-9.]+") && text.split("\\.").length == 4 || text.contains(":");
  }

  private Map<String, Object> logDriver(Map<String, Object> s) {
    if (s.get("logging") == null) {
      return null;
    }
    Map<String, Object> logging = map(s.get("logging"));
    Map<String, Object> out = new LinkedHashMap<>();
    putIf(out, "Name", string(logging.get("driver")));
    putIf(out, "Options", sortedStrings(Json.stringMap(logging.get("options"))));
    return out;
  }

  /** Capabilities normalised to {@code CAP_X}, ALL winning, adds cancelling drops, sorted. */
  static List<List<String>> capabilities(List<String> add, List<String> drop) {
    TreeSet<String> adds = normalizedCaps(add);
    TreeSet<String> drops = normalizedCaps(drop);
    if (adds.contains("ALL")) {
      adds = new TreeSet<>(List.of("ALL"));
    }
    if (drops.contains("ALL")) {
      drops = new TreeSet<>(List.of("ALL"));
    }
    drops.removeAll(adds);
    drops.remove("RESET");
    adds.remove("RESET");
    return List.of(new ArrayList<>(adds), new ArrayList<>(drops));
  }

  private static TreeSet<String> normalizedCaps(List<String> caps) {
    TreeSet<String> out = new TreeSet<>();
    for (String cap : caps) {
      String c = cap.strip().toUpperCase();
      out.add(c.equals("ALL") || c.equals("RESET") || c.startsWith("CAP_") ? c : "CAP_" + c);
    }
    return out;
  }

  private List<Object> ulimits(Map<String, Object> ulimits) {
    List<Object> out = new ArrayList<>();
    new TreeMap<>(ulimits)
        .forEach(
            (name, value) -> {
              long soft;
              long hard;
              if (value instanceof Map<?, ?> m) {
                soft = Units.integer(m.get("soft"));
                hard = Units.integer(m.get("hard"));
              } else {
                soft = Units.integer(value);
                hard = soft;
              }
              out.add(obj("Name", name, "Hard", hard, "Soft", soft));
            });
    return out;
  }

  long duration(Object value, List<String> path) {
    try {
      return Units.durationNanos(value);
    } catch (IllegalArgumentException e) {
      ctx.error(path, e.getMessage());
      return 0;
    }
  }

  private static Map<String, Object> sorted(Map<String, Object> map) {
    return new LinkedHashMap<>(new TreeMap<>(map));
  }

  private static Map<String, Object> sortedStrings(Map<String, String> map) {
    return new LinkedHashMap<>(new TreeMap<>(map));
  }

  static List<String> child(List<String> path, String key) {
    List<String> out = new ArrayList<>(path);
    out.add(key);
    return List.copyOf(out);
  }
}
