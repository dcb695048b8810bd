package io.tidemark.cluster.swarm;

import io.tidemark.cluster.TargetException;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the live Swarm objects of one target with one list call per kind: those it owns, and the
 * unowned ones whose names a desired object also has (reported as conflicts, never touched).
 */
final class SwarmLiveReader {

  /** Services per task query: keeps each URL short, whatever the size of the stack. */
  private static final int CHUNK = 100;

  private final DockerApi api;
  private final String target;
  private final String stack;
  private final boolean adopt;

  private final java.util.concurrent.Executor executor;

  SwarmLiveReader(
      DockerApi api,
      String target,
      String stack,
      boolean adopt,
      java.util.concurrent.Executor executor) {
    this.api = api;
    this.executor = executor;
    this.target = target;
    this.stack = stack;
    this.adopt = adopt;
  }

  /**
   * Reads the objects, then judges the health of the owned services from the same service list and
   * one task list (one request per {@value #CHUNK} services), so every run knows it.
   */
  LiveState read(Set<ObjectKey> desired) throws TargetException {
    List<LiveObject> out = new ArrayList<>();
    Map<String, Map<String, Object>> ownedServices = new LinkedHashMap<>();
    // The engine returns service network attachments by network id; Git names networks. Networks
    // come first in apply order, so their names are known before any service is read.
    Map<String, String> networkNames = new HashMap<>();
    Map<SwarmKind, List<Map<String, Object>>> lists = listAll();
    for (SwarmKind kind : SwarmKind.values()) {
      for (Map<String, Object> raw : lists.get(kind)) {
        if (kind == SwarmKind.NETWORK) {
          networkNames.put(String.valueOf(raw.get("Id")), String.valueOf(raw.get("Name")));
        }
        LiveObject object = adopted(toLive(kind, raw, networkNames), desired);
        if (object.owned()
            || object.ownership() == Ownership.SUPERSEDED
            || desired.contains(object.key())) {
          out.add(object);
        }
        if (kind == SwarmKind.SERVICE && object.owned()) {
          ownedServices.put(String.valueOf(raw.get("ID")), raw);
        }
      }
    }
    return new LiveState(out, health(ownedServices));
  }

  private List<ObjectHealth> health(Map<String, Map<String, Object>> services)
      throws TargetException {
    Map<String, List<Map<String, Object>>> tasks = new HashMap<>();
    List<String> ids = List.copyOf(services.keySet());
    for (int i = 0; i < ids.size(); i += CHUNK) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
      for (Map<String, Object> task :
          api.getArray("/tasks?filters=" + DockerApi.filter("service", chunk))) {
        tasks
            .computeIfAbsent(String.valueOf(task.get("ServiceID")), k -> new ArrayList<>())
            .add(task);
      }
    }
    List<ObjectHealth> out = new ArrayList<>();
    services.forEach(
        (id, service) ->
            out.add(
                ServiceConvergence.judge(
                    ObjectKey.of(
                        SwarmKind.SERVICE.kind(),
                        String.valueOf(Trees.at(service, "Spec", "Name"))),
                    service,
                    tasks.getOrDefault(id, List.of()))));
    return out;
  }

  /** Lists every kind at once: four round trips cost one. */
  private Map<SwarmKind, List<Map<String, Object>>> listAll() throws TargetException {
    Map<SwarmKind, java.util.concurrent.CompletableFuture<List<Map<String, Object>>>> calls =
        new java.util.EnumMap<>(SwarmKind.class);
    for (SwarmKind kind : SwarmKind.values()) {
      calls.put(
          kind,
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return api.getArray("/" + kind.collection());
                } catch (TargetException e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              },
              executor));
    }
    Map<SwarmKind, List<Map<String, Object>>> out = new java.util.EnumMap<>(SwarmKind.class);
    for (var call : calls.entrySet()) {
      try {
        out.put(call.getKey(), call.getValue().join());
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof TargetException t) {
          throw t;
        }
        throw e;
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private LiveObject toLive(
      SwarmKind kind, Map<String, Object> raw, Map<String, String> networkNames) {
    // Services, configs and secrets keep their spec under "Spec" and a version index; networks are
    // flat and unversioned (they cannot be updated, only recreated).
    Map<String, Object> spec =
        kind == SwarmKind.NETWORK ? raw : (Map<String, Object>) raw.get("Spec");
    if (kind == SwarmKind.SERVICE) {
      spec = SwarmDiffer.withNetworkNames(spec, networkNames);
    }
    Map<String, String> labels = stringMap(spec.get("Labels"));
    Object version =
        raw.get("Version") instanceof Map<?, ?> v ? ((Map<String, Object>) v).get("Index") : null;
    String name = String.valueOf(spec.get("Name"));
    return new LiveObject(
        ObjectKey.of(kind.kind(), name),
        spec,
        labels,
        version == null ? "" : version.toString(),
        ownership(labels));
  }

  /**
   * With adoption on, what {@code docker stack deploy} left that cannot be adopted by a write: a
   * network Git declares counts as owned without Tidemark's label (the engine has no network
   * update, so it cannot be relabelled); a config or secret named the CLI's way ({@code
   * <stack>_<name>}) whose content-hashed successor Git declares is superseded.
   */
  private LiveObject adopted(LiveObject object, Set<ObjectKey> desired) {
    if (!adopt || object.owned() || object.labels().containsKey(Labels.TARGET)) {
      return object;
    }
    ObjectKey key = object.key();
    if (SwarmKind.NETWORK.is(key) && desired.contains(key)) {
      return with(object, Ownership.OWNED);
    }
    boolean file = SwarmKind.CONFIG.is(key) || SwarmKind.SECRET.is(key);
    boolean stackLabelled = stack.equals(object.labels().get(Labels.STACK_NAMESPACE));
    if (file && stackLabelled && key.name().startsWith(stack + "_")) {
      String prefix = key.name() + "-";
      boolean replaced =
          desired.stream()
              .anyMatch(
                  d ->
                      d.kind().equals(key.kind())
                          && d.name().startsWith(prefix)
                          && d.name().length() == prefix.length() + FileObjects.HASH_CHARS);
      if (replaced) {
        return with(object, Ownership.SUPERSEDED);
      }
    }
    return object;
  }

  private static LiveObject with(LiveObject object, Ownership ownership) {
    return new LiveObject(
        object.key(), object.spec(), object.labels(), object.version(), ownership);
  }

  private Ownership ownership(Map<String, String> labels) {
    boolean ours =
        target.equals(labels.get(Labels.TARGET))
            && stack.equals(labels.get(Labels.STACK_NAMESPACE));
    return ours ? Ownership.OWNED : Ownership.UNOWNED;
  }

  private static Map<String, String> stringMap(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return Map.of();
    }
    Map<String, String> out = new java.util.HashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }
}
