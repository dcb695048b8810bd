package io.tidemark.bench;

import io.tidemark.cluster.kubernetes.ApiRequests;
import io.tidemark.cluster.kubernetes.ApiVerb;
import io.tidemark.cluster.kubernetes.GeneratedCluster;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.cluster.kubernetes.RecordingKubeApi;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Measures a no-op reconcile of the Kubernetes target on generated manifests: render, snapshot and
 * plan times (median of several runs), API requests per reconcile, heap and RSS of this process.
 * Mode {@code double}: the whole no-op reconcile against the in-process recording double of our
 * KubeApi port. Mode {@code mock}: the list path (render + snapshot) through fabric8 over real HTTP
 * to fabric8's mock server in CRUD mode, which cannot dry-run (no server-side apply). Prints one
 * JSON line. Usage: {@code KubernetesBench double|mock OBJECTS [RUNS]}.
 */
public final class KubernetesBench {

  private static final RevisionInfo REVISION = new RevisionInfo("bench", "bench", "bench", null);
  private static final String TARGET = "bench";

  private KubernetesBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int objects = Integer.parseInt(args[1]);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Path repo = Files.createTempDirectory("tidemark-bench-");
    try {
      GeneratedCluster.writeManifests(repo, objects);
      Map<String, Object> result =
          switch (mode) {
            case "double" -> onDouble(repo, objects, runs, warmups);
            case "mock" -> MockServerBench.run(repo, objects, runs, warmups);
            default -> throw new IllegalArgumentException("mode is double or mock: " + mode);
          };
      System.out.println(json(result));
    } finally {
      deleteTree(repo);
    }
    // fabric8's HTTP client and the mock server leave non-daemon threads behind.
    System.exit(0);
  }

  private static Map<String, Object> onDouble(Path repo, int objects, int runs, int warmups)
      throws Exception {
    RecordingKubeApi api = new RecordingKubeApi();
    KubernetesTarget target =
        new KubernetesTarget(TARGET, TARGET, api, folder -> "", Duration.ofSeconds(2));
    GeneratedCluster.seed(api, TARGET, TARGET, target.loader().load(repo, ".", REVISION));
    double heapOfDouble = heapAfterGc();

    // The first reconcile after a start has no verdicts yet: one dry-run per object.
    long start = System.nanoTime();
    Plan first = plan(target, target.loader().load(repo, ".", REVISION));
    double firstMs = millisSince(start);
    ApiRequests firstRequests = target.requests();
    requireInSync(first);

    List<Double> render = new ArrayList<>();
    List<Double> snapshot = new ArrayList<>();
    List<Double> compare = new ArrayList<>();
    List<Double> total = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    List<Double> processCpu = new ArrayList<>();
    ApiRequests noop = null;
    for (int i = 0; i < warmups + runs; i++) {
      api.clearCalls();
      long c0 = cpuNanos();
      long p0 = processCpuNanos();
      long t0 = System.nanoTime();
      DesiredState desired = target.loader().load(repo, ".", REVISION);
      long t1 = System.nanoTime();
      var live = target.snapshot(desired.objects().keySet());
      long t2 = System.nanoTime();
      Plan plan = Planner.plan(Pairing.pair(desired, live), target, target.applyOrder());
      long t3 = System.nanoTime();
      long c3 = cpuNanos();
      long p3 = processCpuNanos();
      requireInSync(plan);
      if (i < warmups) {
        continue; // the JIT compiles the hot paths first, as in a service that has run a while
      }
      cpu.add((c3 - c0) / 1e6);
      processCpu.add((p3 - p0) / 1e6);
      render.add((t1 - t0) / 1e6);
      snapshot.add((t2 - t1) / 1e6);
      compare.add((t3 - t2) / 1e6);
      total.add((t3 - t0) / 1e6);
      noop = target.requests();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", "double");
    out.put("objects", objects);
    out.put("kinds", GeneratedCluster.KINDS.size());
    out.put("runs", runs);
    out.put("warmups", warmups);
    out.put("firstReconcileMs", round(firstMs));
    out.put("firstReconcileRequests", firstRequests.total());
    out.put("firstReconcileDryRuns", firstRequests.of(ApiVerb.DRY_RUN));
    out.put("renderMsMedian", median(render));
    out.put("snapshotMsMedian", median(snapshot));
    out.put("planMsMedian", median(compare));
    out.put("noopMsMedian", median(total));
    out.put("noopCpuMsMedian", median(cpu));
    out.put("noopProcessCpuMsMedian", median(processCpu));
    out.put("noopRequests", noop.total());
    out.put("noopDryRuns", noop.of(ApiVerb.DRY_RUN));
    out.put("noopRequestsByVerb", noop.toString());
    // Measured while the target (and its verdict cache) and the double are still in use.
    out.put("heapOfDoubleMiB", heapOfDouble);
    out.putAll(memory());
    java.lang.ref.Reference.reachabilityFence(target);
    java.lang.ref.Reference.reachabilityFence(api);
    return out;
  }

  static Plan plan(KubernetesTarget target, DesiredState desired) throws Exception {
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  private static void requireInSync(Plan plan) {
    if (plan.drifted()) {
      throw new IllegalStateException("a no-op reconcile found drift: " + plan.writes().get(0));
    }
  }

  /** Heap in use after a full collection, in MiB. */
  static double heapAfterGc() {
    System.gc();
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return round((runtime.totalMemory() - runtime.freeMemory()) / 1048576.0);
  }

  /**
   * Heap in use after a full collection, and this process's resident set (now and at peak). Call it
   * while what is measured is still reachable.
   */
  static Map<String, Object> memory() throws IOException {
    Runtime runtime = Runtime.getRuntime();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("heapUsedMiB", heapAfterGc());
    out.put("heapCommittedMiB", round(runtime.totalMemory() / 1048576.0));
    Map<String, String> status = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        status.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    out.put("rssMiB", round(kib(status.get("VmRSS")) / 1024.0));
    out.put("peakRssMiB", round(kib(status.get("VmHWM")) / 1024.0));
    out.put("cpus", runtime.availableProcessors());
    out.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    out.put("maxHeapMiB", round(runtime.maxMemory() / 1048576.0));
    return out;
  }

  private static long kib(String value) {
    return value == null ? 0 : Long.parseLong(value.replace("kB", "").trim());
  }

  /** CPU time of this thread: a reconcile runs on one thread, and the machine is shared. */
  static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /** CPU time of the whole process: GC, JIT, and in mock mode the HTTP client and server. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return round(median);
  }

  static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static String json(Map<String, Object> values) {
    return values.entrySet().stream()
        .map(
            e ->
                "\""
                    + e.getKey()
                    + "\":"
                    + (e.getValue() instanceof Number
                        ? String.format(Locale.ROOT, "%s", e.getValue())
                        : "\"" + e.getValue() + "\""))
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
