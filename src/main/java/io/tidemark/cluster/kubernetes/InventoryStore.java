package io.tidemark.cluster.kubernetes;

import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps a target's {@link Inventory} in a ConfigMap ({@code tidemark-inventory-<target>}), written
 * by server-side apply like every other object. It carries its own label, not the ownership label,
 * so that it is never listed as an owned object to prune.
 */
final class InventoryStore {

  /** The label that marks a ConfigMap as the inventory of a target. */
  static final String INVENTORY_LABEL = "io.tidemark/inventory";

  private final KubeApi api;
  private final String target;
  private final String namespace;

  InventoryStore(KubeApi api, String target, String namespace) {
    this.api = Objects.requireNonNull(api, "api");
    this.target = Objects.requireNonNull(target, "target");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
  }

  String name() {
    return "tidemark-inventory-" + target;
  }

  /** The key of the inventory ConfigMap, for results that concern it. */
  ObjectKey key() {
    return new ObjectKey("ConfigMap", namespace, name());
  }

  /** The stored inventory; empty when none was written yet. */
  Inventory read() throws KubeApiException {
    return api.get("v1", "ConfigMap", namespace, name())
        .map(
            cm -> {
              Map<String, String> data = new LinkedHashMap<>();
              if (cm.get("data") instanceof Map<?, ?> map) {
                map.forEach((k, v) -> data.put(String.valueOf(k), String.valueOf(v)));
              }
              return Inventory.fromConfigMapData(data);
            })
        .orElseGet(Inventory::empty);
  }

  void write(Inventory inventory, String commit) throws KubeApiException {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name());
    metadata.put("namespace", namespace);
    metadata.put("labels", Map.of(INVENTORY_LABEL, target));
    metadata.put("annotations", Map.of(io.tidemark.model.Labels.COMMIT, commit));
    Map<String, Object> configMap = new LinkedHashMap<>();
    configMap.put("apiVersion", "v1");
    configMap.put("kind", "ConfigMap");
    configMap.put("metadata", metadata);
    configMap.put("data", inventory.toConfigMapData());
    api.apply(Trees.freeze(configMap), true);
  }
}
