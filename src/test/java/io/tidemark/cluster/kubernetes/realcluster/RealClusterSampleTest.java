package io.tidemark.cluster.kubernetes.realcluster;

import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.KUBECONFIG;
import static io.tidemark.cluster.kubernetes.realcluster.RealCluster.kubectl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemark.cluster.kubernetes.ControllerManagers;
import io.tidemark.cluster.kubernetes.Fabric8KubeApi;
import io.tidemark.cluster.kubernetes.KubernetesTarget;
import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.sample.SampleKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Kubernetes variant of the sample on a real API server (opt-in, as {@link
 * RealClusterTest}): applied as it was before its app services became HelmReleases of {@code
 * charts/service}, then planned as it is now, which must be zero drift. So that it never meets the
 * sample another user applied to the same cluster, every namespace and cluster-scoped name is given
 * this run's prefix ({@code tm-smp-XXXXXX-platform-app}, ...), the only change to the objects.
 */
class RealClusterSampleTest {

  private static final RevisionInfo BEFORE = new RevisionInfo("9c15d4b", "it", "before", null);
  private static final RevisionInfo AFTER = new RevisionInfo("c4a27", "it", "charts", null);
  private static final List<String> CLUSTER_SCOPED =
      List.of("storageclass", "ingressclass", "clusterrole", "clusterrolebinding", "namespace");

  @TempDir Path dir;
  private String prefix;
  private KubernetesTarget target;

  @BeforeAll
  static void aClusterIsNamed() {
    assumeTrue(KUBECONFIG != null && !KUBECONFIG.isBlank(), "TIDEMARK_IT_KUBECONFIG not set");
  }

  @BeforeEach
  void target() throws Exception {
    prefix = "tm-smp-" + UUID.randomUUID().toString().substring(0, 6);
    kubectl("create", "namespace", prefix); // holds the target's inventory
    Path key = SampleKubernetes.repository().resolve("demo-age-key.txt");
    target =
        new KubernetesTarget(
            prefix,
            prefix,
            Fabric8KubeApi.connect(Optional.of(KUBECONFIG), Optional.empty()),
            folder -> "",
            Duration.ofMillis(500),
            Duration.ofSeconds(60),
            ControllerManagers.defaults(),
            new SopsDecryptor(AgeKeys.parse(Files.readString(key), key.toString())));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (prefix != null && KUBECONFIG != null) {
      String owned = "io.tidemark/target=" + prefix;
      kubectl("delete", String.join(",", CLUSTER_SCOPED), "-l", owned, "--wait=false");
      kubectl("delete", "namespace", prefix, "--wait=false", "--ignore-not-found");
    }
  }

  @Test
  void theSampleAppliedBeforeItsChartHasZeroDriftAgainstTheSampleWithIt() throws Exception {
    DesiredState before = renamed(load(SampleKubernetes.beforeCharts(dir), BEFORE));
    Plan create = plan(before);
    assertThat(create.writes())
        .hasSize(before.objects().size())
        .allMatch(c -> c.type() == ChangeType.CREATE);

    ApplyResult applied = target.apply(create, BEFORE, true);

    assertThat(applied.results()).filteredOn(ObjectResult::failed).isEmpty();
    DesiredState after = renamed(load(SampleKubernetes.repository(), AFTER));
    assertThat(after.objects().keySet()).isEqualTo(before.objects().keySet());
    Plan plan = plan(after);
    assertThat(plan.writes()).as("drift of the sample with its chart").isEmpty();
    assertThat(plan.counts()).containsEntry(ChangeType.IN_SYNC, after.objects().size());
    assertThat(
            kubectl(
                "-n", prefix + "-platform-app", "get", "deployment,hpa,pdb,service", "-o", "name"))
        .contains("deployment.apps/gateway", "deployment.apps/orders", "deployment.apps/inventory");
  }

  private DesiredState load(Path repository, RevisionInfo revision) throws Exception {
    return target.loader().load(repository, SampleKubernetes.FOLDER, revision);
  }

  private Plan plan(DesiredState desired) throws Exception {
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  /**
   * The state with every namespace and cluster-scoped object renamed {@code prefix-NAME}, and every
   * string value that is exactly one of those names (a namespace, storage class, ingress class or
   * role reference) renamed with it.
   */
  private DesiredState renamed(DesiredState state) {
    Map<String, String> names = new HashMap<>();
    for (ObjectKey key : state.objects().keySet()) {
      if (key.namespace().isEmpty()) {
        names.put(key.name(), prefix + "-" + key.name());
      }
    }
    Map<ObjectKey, DesiredObject> out = new LinkedHashMap<>();
    for (DesiredObject o : state.list()) {
      ObjectKey k = o.key();
      ObjectKey key =
          new ObjectKey(
              k.kind(),
              names.getOrDefault(k.namespace(), k.namespace()),
              names.getOrDefault(k.name(), k.name()));
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) rename(o.spec(), names);
      out.put(key, new DesiredObject(key, spec, o.source(), o.secret(), o.maskedValues()));
    }
    return new DesiredState(out, state.inputs(), state.notes());
  }

  private static Object rename(Object value, Map<String, String> names) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, rename(v, names)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(rename(v, names)));
      return copy;
    }
    return value instanceof String s ? names.getOrDefault(s, s) : value;
  }
}
