package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample's app services (orders, inventory, the gateway) are three HelmReleases of one internal
 * chart, {@code charts/service}, and load to exactly the objects their hand-written manifests
 * declared, field for field: a cluster reconciled from the sample before the chart has no drift
 * against the sample after it.
 */
class KubernetesSampleChartTest {

  @TempDir Path dir;

  @Test
  void theFolderLoadsToTheSameObjectsAsWithTheHandWrittenManifests() {
    DesiredState before =
        SampleKubernetes.load(SampleKubernetes.beforeCharts(dir), SampleKubernetes.FOLDER, "s");
    DesiredState after =
        SampleKubernetes.load(SampleKubernetes.repository(), SampleKubernetes.FOLDER, "s");

    assertThat(after.objects()).hasSize(before.objects().size());
    assertThat(after.objects().keySet())
        .containsExactlyInAnyOrderElementsOf(before.objects().keySet());
    for (ObjectKey key : before.objects().keySet()) {
      assertThat(after.objects().get(key).spec())
          .as("%s, before at %s", key, before.objects().get(key).source())
          .isEqualTo(before.objects().get(key).spec());
    }
  }

  @Test
  void theAppServicesAreReleasesOfTheServiceChartAndNoLongerWrittenByHand() throws Exception {
    Path app = SampleKubernetes.repository().resolve(SampleKubernetes.FOLDER).resolve("20-app");
    for (String file : SampleKubernetes.RELEASE_FILES) {
      assertThat(Files.readString(app.resolve(file)))
          .as(file)
          .contains("kind: HelmRelease", "chart: ../charts/service")
          .doesNotContain("kind: Deployment");
    }
    DesiredState after =
        SampleKubernetes.load(SampleKubernetes.repository(), SampleKubernetes.FOLDER, "s");

    Map<String, List<String>> rendered =
        after.list().stream()
            .filter(o -> SampleKubernetes.RELEASE_FILES.stream().anyMatch(release(o)::endsWith))
            .collect(
                Collectors.groupingBy(
                    KubernetesSampleChartTest::release,
                    Collectors.mapping(o -> o.key().kind() + "/" + o.key().name(), toSorted())));

    assertThat(rendered)
        .containsOnlyKeys(
            "cluster/kubernetes/20-app/gateway.yaml",
            "cluster/kubernetes/20-app/inventory.yaml",
            "cluster/kubernetes/20-app/orders.yaml");
    assertThat(rendered.get("cluster/kubernetes/20-app/gateway.yaml"))
        .containsExactly(
            "ConfigMap/gateway-routes",
            "Deployment.apps/gateway",
            "HorizontalPodAutoscaler.autoscaling/gateway",
            "PodDisruptionBudget.policy/gateway",
            "Service/gateway",
            "Service/gateway-metrics");
    assertThat(rendered.get("cluster/kubernetes/20-app/orders.yaml"))
        .containsExactly(
            "Deployment.apps/orders",
            "HorizontalPodAutoscaler.autoscaling/orders",
            "PodDisruptionBudget.policy/orders",
            "Service/orders",
            "Service/orders-metrics");
  }

  private static String release(DesiredObject object) {
    return object.source().file();
  }

  private static java.util.stream.Collector<String, ?, List<String>> toSorted() {
    return Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().sorted().toList());
  }
}
