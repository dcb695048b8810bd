package io.tidemark.bench;

import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubernetesManifestLoader;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.cluster.kubernetes.helm.HelmRenderer;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.yaml.snakeyaml.Yaml;

/**
 * The no-op reconcile (load, snapshot, plan) of 20 Helm releases on a real API server, interleaved
 * with the same objects as plain manifests, and the cold render of the 20 releases (Helm called 20
 * times) against the cached one. Args: kubeconfig, runs. Prints one JSON line.
 */
public final class HelmBench {

  private static final RevisionInfo REVISION = new RevisionInfo("bench", "bench", "bench", null);
  private static final int RELEASES = 20;

  private HelmBench() {}

  public static void main(String[] args) throws Exception {
    String kubeconfig = args[0];
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    String id = UUID.randomUUID().toString().substring(0, 6);
    Path helmRepo = Files.createTempDirectory("tidemark-helm-bench-");
    Path plainRepo = Files.createTempDirectory("tidemark-plain-bench-");
    String helmNs = "bench-helm-" + id;
    String plainNs = "bench-plain-" + id;
    writeReleases(helmRepo, helmNs);
    Path other = Files.createTempDirectory("tidemark-helm-bench-");
    writeReleases(other, plainNs);
    writePlain(other, plainRepo);

    KubernetesTarget helm = target(kubeconfig, helmNs);
    KubernetesTarget plain = target(kubeconfig, plainNs);
    helm.apply(plan(helm, helmRepo), REVISION, true);
    plain.apply(plan(plain, plainRepo), REVISION, true);

    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    List<Double> helmNoop = new ArrayList<>();
    List<Double> plainNoop = new ArrayList<>();
    int writes = 0;
    for (int i = 0; i < runs + 2; i++) {
      boolean counted = i >= 2; // two warm-ups
      long start = System.nanoTime();
      KubernetesManifestLoader fresh =
          new KubernetesManifestLoader(
              "cold", helmNs, f -> "", SopsDecryptor.withoutKeys(), new HelmRenderer());
      fresh.load(helmRepo, ".", REVISION);
      double coldMs = ms(start);
      start = System.nanoTime();
      helm.loader().load(helmRepo, ".", REVISION);
      double warmMs = ms(start);
      start = System.nanoTime();
      Plan a = plan(helm, helmRepo);
      double helmMs = ms(start);
      start = System.nanoTime();
      Plan b = plan(plain, plainRepo);
      double plainMs = ms(start);
      writes += a.writes().size() + b.writes().size();
      if (counted) {
        cold.add(coldMs);
        warm.add(warmMs);
        helmNoop.add(helmMs);
        plainNoop.add(plainMs);
      }
    }
    int objects = helm.loader().load(helmRepo, ".", REVISION).objects().size();
    System.out.printf(
        "{\"releases\":%d,\"objects\":%d,\"runs\":%d,\"writesInNoops\":%d,"
            + "\"coldRenderMsMedian\":%.1f,\"cachedLoadMsMedian\":%.1f,"
            + "\"helmNoopMsMedian\":%.1f,\"plainNoopMsMedian\":%.1f,\"ratio\":%.2f}%n",
        RELEASES,
        objects,
        runs,
        writes,
        median(cold),
        median(warm),
        median(helmNoop),
        median(plainNoop),
        median(helmNoop) / median(plainNoop));
    new ProcessBuilder(
            "kubectl", "--kubeconfig", kubeconfig, "delete", "ns", helmNs, plainNs, "--wait=false")
        .inheritIO()
        .start()
        .waitFor();
    System.exit(0);
  }

  private static KubernetesTarget target(String kubeconfig, String namespace) throws Exception {
    return new KubernetesTarget(
        namespace,
        namespace,
        Fabric8KubeApi.connect(Optional.of(kubeconfig), Optional.empty()),
        folder -> "",
        Duration.ofMillis(500));
  }

  private static Plan plan(KubernetesTarget target, Path repo) throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  /** A chart of five objects (Deployment, Service, ConfigMap, PDB, HPA) and 20 releases of it. */
  private static void writeReleases(Path repo, String namespace) throws Exception {
    Path chart = Files.createDirectories(repo.resolve("charts/service/templates"));
    Files.writeString(
        chart.resolveSibling("Chart.yaml"), "apiVersion: v2\nname: service\nversion: 1.0.0\n");
    Files.writeString(chart.resolveSibling("values.yaml"), "port: 8080\nminReplicas: 2\n");
    Files.writeString(
        chart.resolve("all.yaml"),
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{ .Release.Name }}, labels: {app: {{ .Release.Name }}}}
        spec:
          selector: {matchLabels: {app: {{ .Release.Name }}}}
          template:
            metadata: {labels: {app: {{ .Release.Name }}}}
            spec:
              containers:
              - name: app
                image: tidemark-test/busybox:1
                ports: [{name: http, containerPort: {{ .Values.port }}}]
                resources: {requests: {cpu: 100m, memory: 64Mi}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: {{ .Release.Name }}}
        spec:
          selector: {app: {{ .Release.Name }}}
          ports: [{name: http, port: {{ .Values.port }}, targetPort: http}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ .Release.Name }}-settings}
        data: {release: {{ .Release.Name | quote }}}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: {{ .Release.Name }}}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: {{ .Release.Name }}}}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: {{ .Release.Name }}}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ .Release.Name }}}
          minReplicas: {{ .Values.minReplicas }}
          maxReplicas: 10
        """);
    Files.writeString(
        repo.resolve("00-namespace.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + namespace + "}\n");
    for (int i = 0; i < RELEASES; i++) {
      Files.writeString(
          repo.resolve("release-" + i + ".yaml"),
          """
          apiVersion: tidemark.io/v1
          kind: HelmRelease
          metadata: {name: svc-%d, namespace: %s}
          spec:
            chart: ./charts/service
            values: {port: %d}
          """
              .formatted(i, namespace, 8000 + i));
    }
  }

  /** The objects the releases of {@code helmRepo} render to, as plain manifests. */
  private static void writePlain(Path helmRepo, Path plainRepo) throws Exception {
    DesiredState state =
        new KubernetesManifestLoader("plain", "default", f -> "").load(helmRepo, ".", REVISION);
    StringBuilder out = new StringBuilder();
    for (DesiredObject object : state.list()) {
      out.append("---\n").append(new Yaml().dump(object.spec()));
    }
    Files.writeString(plainRepo.resolve("objects.yaml"), out);
  }

  private static double ms(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
