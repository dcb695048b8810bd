package io.tidemark.desired.compose;

import static io.tidemark.desired.compose.Shape.Scalar.BOOLEAN;
import static io.tidemark.desired.compose.Shape.Scalar.INTEGER;
import static io.tidemark.desired.compose.Shape.Scalar.NUMBER;
import static io.tidemark.desired.compose.Shape.Scalar.STRING;
import static io.tidemark.desired.compose.Shape.Scalar.STRING_OR_NUMBER;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys and value types of compose files (format 3.x and the Compose Specification's service
 * keys), checked before conversion so that an unknown key or a wrong type is reported at its line.
 * Keys that Swarm ignores (build, depends_on, ...) are accepted, as {@code docker stack deploy}
 * accepts them.
 */
final class ComposeSchema {

  private static final Shape ANY = new Shape.Any();
  private static final Shape STRINGS = new Shape.ListOf(STRING, false);
  private static final Shape STRING_OR_LIST = new Shape.ListOf(STRING, true);
  private static final Shape SCALAR_DICT = new Shape.DictOf(new Shape.AnyScalar());
  private static final Shape LIST_OR_DICT =
      new Shape.Either(new Shape.ListOf(STRING_OR_NUMBER, false), SCALAR_DICT, null);
  private static final Shape EXTERNAL = new Shape.Either(null, obj("name", STRING), BOOLEAN);

  private static final Shape SERVICE = service();
  private static final Shape ROOT =
      obj(
          "version", STRING_OR_NUMBER,
          "name", STRING,
          "services", new Shape.DictOf(SERVICE),
          "networks", new Shape.DictOf(network()),
          "volumes", new Shape.DictOf(volume()),
          "secrets", new Shape.DictOf(fileObject(true)),
          "configs", new Shape.DictOf(fileObject(false)));

  private ComposeSchema() {}

  static void validate(Map<String, Object> root, Findings findings) {
    ROOT.check(root, List.of(), findings);
  }

  private static Shape service() {
    Shape fileRef =
        new Shape.Either(
            null,
            obj("source", STRING, "target", STRING, "uid", STRING, "gid", STRING, "mode", NUMBER),
            STRING);
    Shape duration = STRING;
    return obj(
        Map.ofEntries(
            Map.entry("build", ANY),
            Map.entry("cap_add", STRINGS),
            Map.entry("cap_drop", STRINGS),
            Map.entry("cgroup_parent", STRING),
            Map.entry("cgroupns_mode", STRING),
            Map.entry("command", new Shape.Either(STRINGS, null, STRING)),
            Map.entry("configs", new Shape.ListOf(fileRef, false)),
            Map.entry("container_name", STRING),
            Map.entry("credential_spec", obj("config", STRING, "file", STRING, "registry", STRING)),
            Map.entry("depends_on", ANY),
            Map.entry("deploy", deploy()),
            Map.entry("devices", STRINGS),
            Map.entry("dns", STRING_OR_LIST),
            Map.entry("dns_search", STRING_OR_LIST),
            Map.entry("domainname", STRING),
            Map.entry("entrypoint", new Shape.Either(STRINGS, null, STRING)),
            Map.entry("env_file", STRING_OR_LIST),
            Map.entry("environment", LIST_OR_DICT),
            Map.entry("expose", new Shape.ListOf(STRING_OR_NUMBER, false)),
            Map.entry("external_links", STRINGS),
            Map.entry("extra_hosts", LIST_OR_DICT),
            Map.entry(
                "healthcheck",
                obj(
                    "disable", BOOLEAN,
                    "interval", duration,
                    "retries", NUMBER,
                    "start_interval", duration,
                    "start_period", duration,
                    "test", new Shape.Either(STRINGS, null, STRING),
                    "timeout", duration)),
            Map.entry("hostname", STRING),
            Map.entry("image", STRING),
            Map.entry("init", BOOLEAN),
            Map.entry("ipc", STRING),
            Map.entry("isolation", STRING),
            Map.entry("labels", LIST_OR_DICT),
            Map.entry("links", STRINGS),
            Map.entry("logging", obj("driver", STRING, "options", SCALAR_DICT)),
            Map.entry("mac_address", STRING),
            Map.entry("network_mode", STRING),
            Map.entry(
                "networks",
                new Shape.Either(
                    STRINGS,
                    new Shape.DictOf(
                        obj(
                            "aliases", STRINGS,
                            "driver_opts", SCALAR_DICT,
                            "ipv4_address", STRING,
                            "ipv6_address", STRING)),
                    null)),
            Map.entry("oom_score_adj", INTEGER),
            Map.entry("pid", STRING),
            Map.entry("platform", STRING),
            Map.entry(
                "ports",
                new Shape.ListOf(
                    new Shape.Either(
                        null,
                        obj(
                            "mode",
                            STRING,
                            "target",
                            INTEGER,
                            "published",
                            INTEGER,
                            "protocol",
                            STRING),
                        STRING_OR_NUMBER),
                    false)),
            Map.entry("privileged", BOOLEAN),
            Map.entry("pull_policy", STRING),
            Map.entry("read_only", BOOLEAN),
            Map.entry("restart", STRING),
            Map.entry("secrets", new Shape.ListOf(fileRef, false)),
            Map.entry("security_opt", STRINGS),
            Map.entry("shm_size", STRING_OR_NUMBER),
            Map.entry("stdin_open", BOOLEAN),
            Map.entry("stop_grace_period", duration),
            Map.entry("stop_signal", STRING),
            Map.entry("sysctls", LIST_OR_DICT),
            Map.entry("tmpfs", STRING_OR_LIST),
            Map.entry("tty", BOOLEAN),
            Map.entry(
                "ulimits",
                new Shape.DictOf(
                    new Shape.Either(null, obj("soft", INTEGER, "hard", INTEGER), INTEGER))),
            Map.entry("user", STRING),
            Map.entry("userns_mode", STRING),
            Map.entry(
                "volumes",
                new Shape.ListOf(
                    new Shape.Either(
                        null,
                        obj(
                            "type", STRING,
                            "source", STRING,
                            "target", STRING,
                            "read_only", BOOLEAN,
                            "consistency", STRING,
                            "bind", obj("propagation", STRING),
                            "volume", obj("nocopy", BOOLEAN, "subpath", STRING),
                            "tmpfs", obj("size", STRING_OR_NUMBER)),
                        STRING),
                    false)),
            Map.entry("working_dir", STRING)));
  }

  private static Shape deploy() {
    Shape updateConfig =
        obj(
            "parallelism", INTEGER,
            "delay", STRING,
            "failure_action", STRING,
            "monitor", STRING,
            "max_failure_ratio", NUMBER,
            "order", STRING);
    Shape genericResources =
        new Shape.ListOf(
            obj("discrete_resource_spec", obj("kind", STRING, "value", NUMBER)), false);
    return obj(
        Map.of(
            "endpoint_mode", STRING,
            "labels", LIST_OR_DICT,
            "mode", STRING,
            "placement",
                obj(
                    "constraints", STRINGS,
                    "preferences", new Shape.ListOf(obj("spread", STRING), false),
                    "max_replicas_per_node", INTEGER),
            "replicas", INTEGER,
            "resources",
                obj(
                    "limits",
                        obj("cpus", STRING_OR_NUMBER, "memory", STRING_OR_NUMBER, "pids", INTEGER),
                    "reservations",
                        obj(
                            "cpus", STRING_OR_NUMBER,
                            "memory", STRING_OR_NUMBER,
                            "generic_resources", genericResources)),
            "restart_policy",
                obj(
                    "condition",
                    STRING,
                    "delay",
                    STRING,
                    "max_attempts",
                    INTEGER,
                    "window",
                    STRING),
            "rollback_config", updateConfig,
            "update_config", updateConfig));
  }

  private static Shape network() {
    return obj(
        "name", STRING,
        "driver", STRING,
        "driver_opts", SCALAR_DICT,
        "ipam", obj("driver", STRING, "config", new Shape.ListOf(obj("subnet", STRING), false)),
        "external", EXTERNAL,
        "internal", BOOLEAN,
        "attachable", BOOLEAN,
        "labels", LIST_OR_DICT);
  }

  private static Shape volume() {
    return obj(
        "name", STRING,
        "driver", STRING,
        "driver_opts", SCALAR_DICT,
        "external", EXTERNAL,
        "labels", LIST_OR_DICT);
  }

  private static Shape fileObject(boolean secret) {
    if (secret) {
      return obj(
          "name", STRING,
          "file", STRING,
          "external", EXTERNAL,
          "labels", LIST_OR_DICT,
          "driver", STRING,
          "driver_opts", SCALAR_DICT,
          "template_driver", STRING);
    }
    return obj(
        "name", STRING,
        "file", STRING,
        "external", EXTERNAL,
        "labels", LIST_OR_DICT,
        "template_driver", STRING);
  }

  private static Shape obj(Object... keysAndShapes) {
    Map<String, Shape> fields = new TreeMap<>();
    for (int i = 0; i < keysAndShapes.length; i += 2) {
      fields.put((String) keysAndShapes[i], (Shape) keysAndShapes[i + 1]);
    }
    return new Shape.Obj(fields);
  }

  private static Shape obj(Map<String, Shape> fields) {
    return new Shape.Obj(fields);
  }
}
