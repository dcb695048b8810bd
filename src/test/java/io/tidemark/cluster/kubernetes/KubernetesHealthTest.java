package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Health verdicts on recorded live objects (a cluster without kubelet, so nothing ever becomes
 * available) and on the same objects with the status a running cluster would write.
 */
class KubernetesHealthTest {

  private static final ObjectKey WEB = new ObjectKey("Deployment.apps", "shop", "web");
  private static final ObjectKey MYSQL = new ObjectKey("StatefulSet.apps", "shop", "mysql");
  private static final ObjectKey JOB = new ObjectKey("Job.batch", "shop", "db-migrate");

  @Test
  void reportsARecordedDeploymentWithoutAvailablePodsAsProgressing() {
    ObjectHealth health =
        KubernetesHealth.evaluate(WEB, Fixtures.json("deployment-defaults", "live.json"));

    assertThat(health.status()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(health.message()).isEqualTo("0 of 3 updated replicas available");
  }

  @Test
  void reportsARecordedRolloutWithOldReplicasAsProgressing() {
    ObjectHealth health =
        KubernetesHealth.evaluate(WEB, Fixtures.json("deployment-image-edited", "live.json"));

    assertThat(health.status()).isEqualTo(HealthStatus.PROGRESSING);
    assertThat(health.message()).isEqualTo("1 of 3 replicas updated");
  }

  @Test
  void reportsADeploymentRolledOutWhenEveryReplicaIsUpdatedAndAvailable() {
    Map<String, Object> live = Trees.mutableCopy(Fixtures.json("deployment-defaults", "live.json"));
    live.put(
        "status",
        Map.of(
            "observedGeneration", 1, "replicas", 3, "updatedReplicas", 3, "availableReplicas", 3));

    assertThat(KubernetesHealth.evaluate(WEB, live).status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void waitsForTheControllerToObserveANewGeneration() {
    Map<String, Object> live = Trees.mutableCopy(Fixtures.json("deployment-defaults", "live.json"));
    live.put(
        "status",
        Map.of(
            "observedGeneration", 0, "replicas", 3, "updatedReplicas", 3, "availableReplicas", 3));

    assertThat(KubernetesHealth.evaluate(WEB, live).message())
        .contains("generation 1 not yet observed");
  }

  @Test
  void reportsAnExceededProgressDeadlineAsDegraded() {
    Map<String, Object> live = Trees.mutableCopy(Fixtures.json("deployment-defaults", "live.json"));
    live.put(
        "status",
        Map.of(
            "observedGeneration",
            1,
            "conditions",
            List.of(
                Map.of(
                    "type",
                    "Progressing",
                    "status",
                    "False",
                    "reason",
                    "ProgressDeadlineExceeded",
                    "message",
                    "ReplicaSet \"web-1\" has timed out progressing."))));

    assertThat(KubernetesHealth.evaluate(WEB, live).status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void reportsStatefulSetsByAvailableReplicas() {
    Map<String, Object> recorded = Fixtures.json("statefulset-defaults", "live.json");
    Map<String, Object> ready = Trees.mutableCopy(recorded);
    ((Map<String, Object>) ready.get("status")).put("availableReplicas", 1);

    assertThat(KubernetesHealth.evaluate(MYSQL, recorded).status())
        .isEqualTo(HealthStatus.PROGRESSING);
    assertThat(KubernetesHealth.evaluate(MYSQL, ready).status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void reportsDaemonSetsByScheduledUpdatedAndAvailablePods() {
    Map<String, Object> live =
        Map.of(
            "metadata",
            Map.of("generation", 2),
            "status",
            Map.of(
                "observedGeneration",
                2,
                "desiredNumberScheduled",
                3,
                "updatedNumberScheduled",
                3,
                "numberAvailable",
                2));
    ObjectKey key = new ObjectKey("DaemonSet.apps", "kube-system", "agent");

    assertThat(KubernetesHealth.evaluate(key, live).message()).isEqualTo("2 of 3 pods available");
  }

  @Test
  void reportsJobsRunningCompleteOrFailed() {
    Map<String, Object> running = Fixtures.json("job-immutable", "live.json");
    Map<String, Object> complete = Trees.mutableCopy(running);
    complete.put(
        "status", Map.of("conditions", List.of(Map.of("type", "Complete", "status", "True"))));
    Map<String, Object> failed = Trees.mutableCopy(running);
    failed.put(
        "status",
        Map.of(
            "conditions",
            List.of(
                Map.of("type", "Failed", "status", "True", "message", "BackoffLimitExceeded"))));

    assertThat(KubernetesHealth.evaluate(JOB, running).status())
        .isEqualTo(HealthStatus.PROGRESSING);
    assertThat(KubernetesHealth.evaluate(JOB, complete).status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(KubernetesHealth.evaluate(JOB, failed))
        .extracting(ObjectHealth::status, ObjectHealth::message)
        .containsExactly(HealthStatus.DEGRADED, "failed: BackoffLimitExceeded");
  }

  @Test
  void reportsClaimsBoundPendingOrLost() {
    ObjectKey claim = new ObjectKey("PersistentVolumeClaim", "shop", "data");

    assertThat(
            KubernetesHealth.evaluate(claim, Map.of("status", Map.of("phase", "Bound"))).status())
        .isEqualTo(HealthStatus.HEALTHY);
    assertThat(
            KubernetesHealth.evaluate(claim, Map.of("status", Map.of("phase", "Pending"))).status())
        .isEqualTo(HealthStatus.PROGRESSING);
    assertThat(KubernetesHealth.evaluate(claim, Map.of("status", Map.of("phase", "Lost"))).status())
        .isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void reportsOtherKindsHealthyWhenPresentAndDegradedWhenMissing() {
    ObjectKey service = new ObjectKey("Service", "shop", "web");

    assertThat(
            KubernetesHealth.evaluate(service, Fixtures.json("service-clusterip", "live.json"))
                .status())
        .isEqualTo(HealthStatus.HEALTHY);
    assertThat(KubernetesHealth.evaluate(service, null).status()).isEqualTo(HealthStatus.DEGRADED);
  }
}
