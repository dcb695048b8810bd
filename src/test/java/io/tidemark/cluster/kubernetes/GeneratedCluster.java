package io.tidemark.cluster.kubernetes;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Generated manifests of any size (ConfigMaps, Secrets, Services and Deployments over ten
 * namespaces, one file per hundred objects), and a {@link RecordingKubeApi} that holds each of them
 * as a server would after a server-side apply: server fields and defaults added, and a dry run that
 * answers the live object (in sync). For tests and benchmarks of a no-op reconcile.
 */
public final class GeneratedCluster {

  /** The qualified kinds the generator makes, one for each residue of the index modulo 5. */
  public static final List<String> KINDS =
      List.of("ConfigMap", "Secret", "Service", "Deployment.apps");

  private GeneratedCluster() {}

  /** Writes {@code count} objects as multi-document YAML files into {@code folder}. */
  public static void writeManifests(Path folder, int count) throws IOException {
    Files.createDirectories(folder);
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < count; i++) {
      file.append("---\n").append(manifest(i));
      if ((i + 1) % 100 == 0 || i == count - 1) {
        Files.writeString(
            folder.resolve(String.format(Locale.ROOT, "part-%03d.yaml", i / 100)), file);
        file.setLength(0);
      }
    }
  }

  /** Sets another {@code LOG_LEVEL} in the manifest of ConfigMap {@code index}. */
  public static void editManifest(Path folder, int index, String logLevel) throws IOException {
    if (index % 5 > 1) {
      throw new IllegalArgumentException("object " + index + " is not a ConfigMap");
    }
    Path file = folder.resolve(String.format(Locale.ROOT, "part-%03d.yaml", index / 100));
    String before = manifest(index);
    String text = Files.readString(file);
    if (!text.contains(before)) {
      throw new IllegalStateException("object " + index + " is not in " + file);
    }
    Files.writeString(
        file, text.replace(before, before.replace("LOG_LEVEL: info", "LOG_LEVEL: " + logLevel)));
  }

  static String manifest(int i) {
    String ns = "team-" + (i % 10);
    String name = String.format(Locale.ROOT, "obj-%05d", i);
    return switch (i % 5) {
      case 0, 1 ->
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
              + name
              + "\n  namespace: "
              + ns
              + "\ndata:\n  LOG_LEVEL: info\n  VERSION: \"v"
              + i
              + "\"\n  application.properties: |\n    server.port=8080\n    pool.size=10\n";
      case 2 ->
          "apiVersion: v1\nkind: Secret\nmetadata:\n  name: "
              + name
              + "\n  namespace: "
              + ns
              + "\ntype: Opaque\nstringData:\n  PASSWORD: v"
              + i
              + "\n";
      case 3 ->
          "apiVersion: v1\nkind: Service\nmetadata:\n  name: "
              + name
              + "\n  namespace: "
              + ns
              + "\n  labels: {version: v"
              + i
              + "}\nspec:\n  selector: {app: "
              + name
              + "}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n";
      default ->
          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
              + name
              + "\n  namespace: "
              + ns
              + "\n  labels: {version: v"
              + i
              + "}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: "
              + name
              + "}\n  template:\n    metadata:\n      labels: {app: "
              + name
              + "}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n"
              + "        ports:\n        - containerPort: 8080\n        resources:\n"
              + "          requests: {cpu: 100m, memory: 64Mi}\n";
    };
  }

  /**
   * Stores every desired object in {@code api} as the server would hold it after Tidemark applied
   * it, with a dry run answering the same, and writes the inventory listing them all.
   */
  public static void seed(
      RecordingKubeApi api, String target, String namespace, DesiredState desired)
      throws KubeApiException {
    for (Map<String, Object> live : served(desired)) {
      api.put(live);
      api.dryRuns.put(LiveObjects.key(live), DryRunResult.accepted(live));
    }
    List<ObjectKey> keys = new ArrayList<>(desired.objects().keySet());
    new InventoryStore(api, target, namespace).write(Inventory.of(keys), "seed");
  }

  /** Every desired object as the server would hold it after Tidemark applied it. */
  public static List<Map<String, Object>> served(DesiredState desired) {
    List<Map<String, Object>> out = new ArrayList<>();
    int serial = 0;
    for (DesiredObject object : desired.objects().values()) {
      out.add(served(object, ++serial));
    }
    return out;
  }

  /** The inventory ConfigMap of a target that applied every desired object, as stored. */
  public static Map<String, Object> inventory(
      String target, String namespace, DesiredState desired) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "tidemark-inventory-" + target);
    metadata.put("namespace", namespace);
    metadata.put("labels", Map.of(InventoryStore.INVENTORY_LABEL, target));
    Map<String, Object> configMap = new LinkedHashMap<>();
    configMap.put("apiVersion", "v1");
    configMap.put("kind", "ConfigMap");
    configMap.put("metadata", metadata);
    configMap.put("data", Inventory.of(desired.objects().keySet()).toConfigMapData());
    return configMap;
  }

  /** The object as a kube-apiserver returns it: identity fields, defaults, and a status. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> served(DesiredObject object, int serial) {
    Map<String, Object> tree = Trees.mutableCopy(object.spec());
    Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
    metadata.put("uid", String.format(Locale.ROOT, "00000000-0000-0000-0000-%012d", serial));
    metadata.put("resourceVersion", String.valueOf(serial));
    metadata.put("creationTimestamp", "2026-01-01T00:00:00Z");
    if (object.key().kind().equals("Secret")) {
      // The server stores stringData base64-encoded under data.
      Map<String, Object> data = new LinkedHashMap<>();
      ((Map<String, Object>) tree.remove("stringData"))
          .forEach(
              (k, v) ->
                  data.put(
                      k,
                      java.util.Base64.getEncoder()
                          .encodeToString(
                              String.valueOf(v)
                                  .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      tree.put("data", data);
    }
    if (object.key().kind().equals("Service")) {
      Map<String, Object> spec = (Map<String, Object>) tree.get("spec");
      spec.put("clusterIP", "10.96." + (serial / 250) + "." + (serial % 250));
      spec.put("type", "ClusterIP");
      spec.put("sessionAffinity", "None");
      ((List<Map<String, Object>>) spec.get("ports")).get(0).put("protocol", "TCP");
    }
    if (object.key().kind().equals("Deployment.apps")) {
      metadata.put("generation", 1);
      Map<String, Object> spec = (Map<String, Object>) tree.get("spec");
      spec.put("revisionHistoryLimit", 10);
      spec.put("progressDeadlineSeconds", 600);
      spec.put(
          "strategy",
          Map.of(
              "type",
              "RollingUpdate",
              "rollingUpdate",
              Map.of("maxUnavailable", "25%", "maxSurge", "25%")));
      tree.put(
          "status",
          Map.of(
              "observedGeneration", 1,
              "replicas", 2,
              "updatedReplicas", 2,
              "readyReplicas", 2,
              "availableReplicas", 2));
    }
    return Trees.mutableCopy(tree);
  }
}
