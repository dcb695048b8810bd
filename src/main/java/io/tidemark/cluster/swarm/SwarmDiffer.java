package io.tidemark.cluster.swarm;

import io.tidemark.diff.Differ;
import io.tidemark.diff.TreeDiff;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.Trees;
import java.util.List;
import java.util.Map;

/**
 * Compares a desired Swarm object with the live one after bringing both into {@link SwarmCanonical}
 * form, so that engine defaults, server-owned fields and the commit label are never drift. The live
 * service spec must name its networks (not ids), as {@link #withNetworkNames} makes it. Secret data
 * is never returned by the engine, so a secret compares by name (which carries its content hash)
 * and labels.
 */
public final class SwarmDiffer implements Differ {

  @Override
  public List<FieldDiff> compare(DesiredObject desired, LiveObject live) {
    SwarmKind kind = SwarmKind.of(desired.key().kind());
    if (kind == null) {
      throw new IllegalArgumentException("not a Swarm kind: " + desired.key());
    }
    return switch (kind) {
      case SERVICE -> serviceDiff(desired.spec(), live.spec());
      case NETWORK -> networkDiff(desired.spec(), live.spec());
      case CONFIG ->
          TreeDiff.diff(
              SwarmCanonical.fileObject(desired.spec(), false),
              SwarmCanonical.fileObject(live.spec(), false));
      case SECRET ->
          TreeDiff.diff(
              SwarmCanonical.fileObject(desired.spec(), true),
              SwarmCanonical.fileObject(live.spec(), true));
    };
  }

  /** Keyed maps that one side lacks entirely are compared as empty, so a diff names the entry. */
  private static final List<List<String>> KEYED =
      List.of(
          List.of("Labels"),
          List.of("TaskTemplate", "ContainerSpec", "Labels"),
          List.of("TaskTemplate", "ContainerSpec", "Env"),
          List.of("TaskTemplate", "ContainerSpec", "Mounts"),
          List.of("TaskTemplate", "ContainerSpec", "Secrets"),
          List.of("TaskTemplate", "ContainerSpec", "Configs"),
          List.of("TaskTemplate", "ContainerSpec", "Ulimits"),
          List.of("TaskTemplate", "ContainerSpec", "Sysctls"),
          List.of("TaskTemplate", "Networks"),
          List.of("EndpointSpec", "Ports"));

  private static List<FieldDiff> serviceDiff(
      Map<String, Object> desired, Map<String, Object> live) {
    Map<String, Object> d = SwarmCanonical.service(desired);
    Map<String, Object> l = SwarmCanonical.service(live);
    for (List<String> path : KEYED) {
      boolean inDesired = at(d, path) instanceof Map<?, ?>;
      boolean inLive = at(l, path) instanceof Map<?, ?>;
      if (inDesired != inLive) {
        putEmpty(inDesired ? l : d, path);
      }
    }
    return TreeDiff.diff(d, l);
  }

  private static Object at(Map<String, Object> tree, List<String> path) {
    Object current = tree;
    for (String key : path) {
      current = current instanceof Map<?, ?> m ? m.get(key) : null;
    }
    return current;
  }

  private static void putEmpty(Map<String, Object> tree, List<String> path) {
    Map<String, Object> current = tree;
    for (String key : path.subList(0, path.size() - 1)) {
      if (!(current.get(key) instanceof Map<?, ?>)) {
        current.put(key, new java.util.LinkedHashMap<String, Object>());
      }
      current = Json.map(current.get(key));
    }
    current.put(path.get(path.size() - 1), new java.util.LinkedHashMap<String, Object>());
  }

  private static List<FieldDiff> networkDiff(
      Map<String, Object> desired, Map<String, Object> live) {
    if ("".equals(live.get("Driver"))) {
      // Listed by the swarm before this node has filled it in (seen right after a create): it
      // exists, and there is nothing yet to compare; the next reconcile compares it whole.
      return List.of();
    }
    Map<String, Object> d = SwarmCanonical.network(desired);
    Map<String, Object> l = SwarmCanonical.network(live);
    if (!(Trees.at(live, "Labels", Labels.TARGET) instanceof String)
        && d.get("Labels") instanceof Map<?, ?> labels) {
      // Adopted in place: the engine cannot add Tidemark's label to an existing network.
      Json.map(labels).remove(Labels.TARGET);
      if (labels.isEmpty()) {
        d.remove("Labels");
      }
    }
    // Subnets the engine chose are not drift when Git asked for none.
    if (!(Json.map(d.get("IPAM")).get("Subnets") instanceof List<?>)) {
      Json.map(l.get("IPAM")).remove("Subnets");
    }
    return TreeDiff.diff(d, l);
  }

  /** The service spec with each network attachment's target id replaced by the network name. */
  public static Map<String, Object> withNetworkNames(
      Map<String, Object> serviceSpec, Map<String, String> networkNamesById) {
    return SwarmCanonical.withNetworkNames(serviceSpec, networkNamesById);
  }
}
