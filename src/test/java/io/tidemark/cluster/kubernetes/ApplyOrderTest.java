package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The apply order of Kubernetes kinds. */
class ApplyOrderTest {

  @Test
  void appliesNamespacesAndCrdsFirstThenRbacConfigStorageWorkloadsServicesIngressesAndTheRest() {
    List<ObjectKey> keys =
        new ArrayList<>(
            List.of(
                new ObjectKey("BackupSchedule.ops.example.com", "shop", "nightly"),
                new ObjectKey("Ingress.networking.k8s.io", "shop", "web"),
                new ObjectKey("Service", "shop", "web"),
                new ObjectKey("Job.batch", "shop", "migrate"),
                new ObjectKey("Deployment.apps", "shop", "web"),
                new ObjectKey("PersistentVolumeClaim", "shop", "data"),
                ObjectKey.of("StorageClass.storage.k8s.io", "fast"),
                new ObjectKey("Secret", "shop", "creds"),
                new ObjectKey("ConfigMap", "shop", "config"),
                new ObjectKey("RoleBinding.rbac.authorization.k8s.io", "shop", "rb"),
                new ObjectKey("ServiceAccount", "shop", "web"),
                ObjectKey.of(
                    "CustomResourceDefinition.apiextensions.k8s.io",
                    "backupschedules.ops.example.com"),
                ObjectKey.of("Namespace", "shop"),
                new ObjectKey("NetworkPolicy.networking.k8s.io", "shop", "allow")));

    keys.sort(new ApplyOrder());

    assertThat(keys)
        .extracting(ObjectKey::kind)
        .containsExactly(
            "Namespace",
            "CustomResourceDefinition.apiextensions.k8s.io",
            "ServiceAccount",
            "RoleBinding.rbac.authorization.k8s.io",
            "ConfigMap",
            "Secret",
            "StorageClass.storage.k8s.io",
            "PersistentVolumeClaim",
            "Deployment.apps",
            "Job.batch",
            "Service",
            "Ingress.networking.k8s.io",
            "BackupSchedule.ops.example.com",
            "NetworkPolicy.networking.k8s.io");
  }

  @Test
  void ordersObjectsOfOneKindByNamespaceAndName() {
    List<ObjectKey> keys =
        new ArrayList<>(
            List.of(
                new ObjectKey("ConfigMap", "b", "x"),
                new ObjectKey("ConfigMap", "a", "y"),
                new ObjectKey("ConfigMap", "a", "x")));

    keys.sort(new ApplyOrder());

    assertThat(keys)
        .extracting(ObjectKey::toString)
        .containsExactly("ConfigMap/a/x", "ConfigMap/a/y", "ConfigMap/b/x");
  }
}
