package io.tidemark.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.tidemark.cluster.kubernetes.ApiRequests;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.GeneratedCluster;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.model.DesiredState;
import io.tidemark.model.LiveState;
import io.tidemark.model.RevisionInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The list path of a no-op reconcile (render + snapshot) through fabric8 over real HTTP, against
 * fabric8's mock server in CRUD mode holding the generated objects. The mock server answers no
 * discovery and no server-side apply, so discovery documents are expected by hand (as in
 * Fabric8KubeApiTest) and the dry-run step is not measured here.
 */
final class MockServerBench {

  private static final RevisionInfo REVISION = new RevisionInfo("bench", "bench", "bench", null);
  private static final String CORE =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
          + resource("namespaces", "Namespace", false)
          + ","
          + resource("configmaps", "ConfigMap", true)
          + ","
          + resource("secrets", "Secret", true)
          + ","
          + resource("services", "Service", true)
          + "]}";
  private static final String APPS =
      "{\"kind\":\"APIResourceList\",\"groupVersion\":\"apps/v1\",\"resources\":["
          + resource("deployments", "Deployment", true)
          + "]}";
  private static final String APPS_GROUP =
      "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",\"name\":\"apps\",\"versions\":"
          + "[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
          + "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}}";

  private MockServerBench() {}

  private static String resource(String plural, String kind, boolean namespaced) {
    return "{\"name\":\""
        + plural
        + "\",\"singularName\":\"\",\"namespaced\":"
        + namespaced
        + ",\"kind\":\""
        + kind
        + "\",\"verbs\":[\"create\",\"get\",\"list\",\"patch\",\"delete\"]}";
  }

  static Map<String, Object> run(Path repo, int objects, int runs, int warmups) throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    server.expect().get().withPath("/api/v1").andReturn(200, CORE).always();
    server.expect().get().withPath("/apis/apps/v1").andReturn(200, APPS).always();
    server.expect().get().withPath("/apis/apps").andReturn(200, APPS_GROUP).always();
    try (KubernetesClient client = server.createClient()) {
      KubernetesTarget target =
          new KubernetesTarget(
              "bench", "bench", new Fabric8KubeApi(client), folder -> "", Duration.ofSeconds(2));
      DesiredState seed = target.loader().load(repo, ".", REVISION);
      var serialization = client.getKubernetesSerialization();
      List<Map<String, Object>> stored = new ArrayList<>(GeneratedCluster.served(seed));
      stored.add(GeneratedCluster.inventory("bench", "bench", seed));
      for (Map<String, Object> tree : stored) {
        client.resource(serialization.convertValue(tree, GenericKubernetesResource.class)).create();
      }

      long start = System.nanoTime();
      int before = server.getRequestCount();
      LiveState first = target.snapshot(seed.objects().keySet());
      double firstMs = KubernetesBench.millisSince(start);
      int firstHttp = server.getRequestCount() - before;
      if (first.objects().size() != objects) {
        throw new IllegalStateException(
            "listed " + first.objects().size() + " objects, expected " + objects);
      }

      List<Double> render = new ArrayList<>();
      List<Double> snapshot = new ArrayList<>();
      List<Double> total = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      List<Double> processCpu = new ArrayList<>();
      int http = 0;
      ApiRequests port = null;
      for (int i = 0; i < warmups + runs; i++) {
        int count = server.getRequestCount();
        long c0 = KubernetesBench.cpuNanos();
        long p0 = KubernetesBench.processCpuNanos();
        long t0 = System.nanoTime();
        DesiredState desired = target.loader().load(repo, ".", REVISION);
        long t1 = System.nanoTime();
        LiveState live = target.snapshot(desired.objects().keySet());
        long t2 = System.nanoTime();
        long c2 = KubernetesBench.cpuNanos();
        long p2 = KubernetesBench.processCpuNanos();
        if (live.objects().size() != objects) {
          throw new IllegalStateException("listed " + live.objects().size() + " objects");
        }
        if (i < warmups) {
          continue;
        }
        cpu.add((c2 - c0) / 1e6);
        processCpu.add((p2 - p0) / 1e6);
        render.add((t1 - t0) / 1e6);
        snapshot.add((t2 - t1) / 1e6);
        total.add((t2 - t0) / 1e6);
        http = server.getRequestCount() - count;
        port = target.requests();
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("mode", "mock");
      out.put("objects", objects);
      out.put("kinds", GeneratedCluster.KINDS.size());
      out.put("runs", runs);
      out.put("warmups", warmups);
      out.put("firstSnapshotMs", KubernetesBench.round(firstMs));
      out.put("firstSnapshotHttpRequests", firstHttp);
      out.put("renderMsMedian", KubernetesBench.median(render));
      out.put("snapshotMsMedian", KubernetesBench.median(snapshot));
      out.put("renderPlusSnapshotMsMedian", KubernetesBench.median(total));
      // The calling thread only: fabric8's HTTP client and the mock server use their own threads.
      out.put("callerCpuMsMedian", KubernetesBench.median(cpu));
      out.put("processCpuMsMedian", KubernetesBench.median(processCpu));
      out.put("snapshotHttpRequests", http);
      out.put("snapshotPortRequests", port.total());
      // Measured while the mock server still holds the objects: its store is in this heap too.
      out.putAll(KubernetesBench.memory());
      java.lang.ref.Reference.reachabilityFence(target);
      return out;
    } finally {
      server.destroy();
    }
  }
}
