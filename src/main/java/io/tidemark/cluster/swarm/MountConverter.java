package io.tidemark.cluster.swarm;

import static io.tidemark.cluster.swarm.Json.map;
import static io.tidemark.cluster.swarm.Json.putIf;
import static io.tidemark.cluster.swarm.Json.string;
import static io.tidemark.cluster.swarm.ServiceConverter.child;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a service's long-form {@code volumes} into mounts as the docker CLI does: named volumes
 * scoped to the stack with the stack label and driver config of the top-level volume, external
 * volumes by name, bind and tmpfs mounts with their options.
 */
final class MountConverter {

  private final StackContext ctx;

  MountConverter(StackContext ctx) {
    this.ctx = ctx;
  }

  List<Object> mounts(Object volumes, List<String> path) {
    List<Object> out = new ArrayList<>();
    List<Object> items = Json.list(volumes);
    for (int i = 0; i < items.size(); i++) {
      List<String> vp = child(child(path, "volumes"), String.valueOf(i));
      Map<String, Object> mount = mount(map(items.get(i)), vp);
      if (mount != null) {
        out.add(mount);
      }
    }
    return out;
  }

  private Map<String, Object> mount(Map<String, Object> v, List<String> path) {
    String type = string(v.get("type"));
    String source = string(v.get("source"));
    Map<String, Object> m = new LinkedHashMap<>();
    putIf(m, "Type", type.isEmpty() ? "volume" : type);
    putIf(m, "Source", source);
    putIf(m, "Target", string(v.get("target")));
    putIf(m, "ReadOnly", v.get("read_only") != null && Units.bool(v.get("read_only")));
    putIf(m, "Consistency", string(v.get("consistency")));
    if (!type.equals("bind") && v.get("bind") != null) {
      ctx.error(path, "bind options are incompatible with type " + type);
    }
    if (!type.equals("volume") && !type.isEmpty() && v.get("volume") != null) {
      ctx.error(path, "volume options are incompatible with type " + type);
    }
    if (!type.equals("tmpfs") && v.get("tmpfs") != null) {
      ctx.error(path, "tmpfs options are incompatible with type " + type);
    }
    switch (type) {
      case "", "volume" -> volume(m, v, source, path);
      case "bind" -> {
        if (source.isEmpty()) {
          ctx.error(path, "a bind mount needs a source");
        } else if (!source.startsWith("/")) {
          ctx.error(path, "a bind mount source must be an absolute path on the node");
        }
        Map<String, Object> bind = map(v.get("bind"));
        if (v.get("bind") != null) {
          Map<String, Object> options = new LinkedHashMap<>();
          putIf(options, "Propagation", string(bind.get("propagation")));
          m.put("BindOptions", options);
        }
      }
      case "tmpfs" -> {
        if (!source.isEmpty()) {
          ctx.error(path, "a tmpfs mount takes no source");
        }
        if (v.get("tmpfs") != null) {
          Map<String, Object> options = new LinkedHashMap<>();
          Object size = map(v.get("tmpfs")).get("size");
          putIf(options, "SizeBytes", size == null ? 0L : Units.bytes(size));
          m.put("TmpfsOptions", options);
        }
      }
      default -> {
        ctx.error(path, "volume type must be volume, bind or tmpfs");
        return null;
      }
    }
    return m;
  }

  private void volume(
      Map<String, Object> m, Map<String, Object> v, String source, List<String> path) {
    if (source.isEmpty()) {
      return;
    }
    Map<String, Object> volumes = ctx.project.section("volumes");
    if (!volumes.containsKey(source)) {
      ctx.error(path, "undefined volume \"" + source + "\"");
      return;
    }
    Map<String, Object> declared = map(volumes.get(source));
    Map<String, Object> options = new LinkedHashMap<>();
    Map<String, Object> volumeOptions = map(v.get("volume"));
    putIf(
        options,
        "NoCopy",
        volumeOptions.get("nocopy") != null && Units.bool(volumeOptions.get("nocopy")));
    // volume.subpath is not sent: Engine API v1.41 has no VolumeOptions.Subpath and drops it.
    boolean external = declared.get("external") != null && Units.bool(declared.get("external"));
    String name = string(declared.get("name"));
    if (external && name.isEmpty()) {
      name = source;
    }
    m.put("Source", name.isEmpty() ? ctx.scope(source) : name);
    if (!external) {
      options.put("Labels", ctx.stackLabels(Json.stringMap(declared.get("labels"))));
      if (declared.get("driver") != null || declared.get("driver_opts") != null) {
        Map<String, Object> driver = new LinkedHashMap<>();
        putIf(driver, "Name", string(declared.get("driver")));
        putIf(
            driver,
            "Options",
            new LinkedHashMap<>(
                new java.util.TreeMap<>(Json.stringMap(declared.get("driver_opts")))));
        options.put("DriverConfig", driver);
      }
    }
    m.put("VolumeOptions", options);
  }
}
