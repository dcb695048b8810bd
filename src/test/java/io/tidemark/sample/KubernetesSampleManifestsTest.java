package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes variant of the sample platform loads into fabric8's typed model without unknown
 * fields, and keeps the platform's rules: resources, probes and disruption budgets for every
 * workload, pods spread over nodes, default-deny networking with a data layer that only the app
 * layer reaches, one way in through the edge, and storage on the two declared classes.
 */
class KubernetesSampleManifestsTest {

  private static final String LAYER = "platform.example.com/layer";
  private static final String PSA_ENFORCE = "pod-security.kubernetes.io/enforce";
  private static final Set<String> LAYERS =
      Set.of("edge", "app", "data", "messaging", "monitoring");
  private static ManifestFolder sample;

  @BeforeAll
  static void readSample() {
    sample = ManifestFolder.read(RepoPaths.sampleKubernetes());
  }

  @Test
  void builtInKindsLoadIntoTheirTypedClassesWithoutUnknownFields() {
    assertThat(sample.all()).hasSizeGreaterThan(100);
    assertThat(KubernetesChecks.untypedBuiltIns(sample)).isEmpty();
    assertThat(KubernetesChecks.unknownFields(sample)).isEmpty();
  }

  @Test
  void everyLayerHasItsNamespaceAndEveryNamespacedObjectSitsInOne() {
    assertThat(sample.of(Namespace.class))
        .extracting(n -> n.getMetadata().getLabels().get(LAYER))
        .containsExactlyInAnyOrderElementsOf(LAYERS);
    List<String> namespaces =
        sample.of(Namespace.class).stream().map(n -> n.getMetadata().getName()).toList();
    for (HasMetadata o : KubernetesChecks.objects(sample)) {
      String ns = o.getMetadata().getNamespace();
      assertThat(ns == null || namespaces.contains(ns)).as(o.getKind() + " in " + ns).isTrue();
    }
  }

  @Test
  void everyWorkloadHasResourcesProbesAndNonRootPods() {
    assertThat(KubernetesChecks.workloadsWithoutResourcesOrProbes(sample)).isEmpty();
    assertThat(KubernetesChecks.podsThatMayRunAsRoot(sample)).isEmpty();
  }

  @Test
  void podsInRestrictedNamespacesMeetThePodSecurityRestrictedLevel() {
    assertThat(sample.of(Namespace.class))
        .filteredOn(n -> "restricted".equals(n.getMetadata().getLabels().get(PSA_ENFORCE)))
        .hasSizeGreaterThanOrEqualTo(4);
    assertThat(RestrictedPodSecurity.violations(sample)).isEmpty();
  }

  @Test
  void everyMultiReplicaWorkloadHasADisruptionBudgetAndSpreadsOverNodes() {
    assertThat(KubernetesChecks.multiReplicaWorkloadsWithoutBudget(sample)).isEmpty();
    List<String> unspread = new ArrayList<>();
    for (Workload w : Workload.in(KubernetesChecks.objects(sample))) {
      var spread = w.pod().getTopologySpreadConstraints();
      var affinity = w.pod().getAffinity();
      boolean byNode =
          spread.stream().anyMatch(t -> "kubernetes.io/hostname".equals(t.getTopologyKey()))
              || (affinity != null
                  && affinity.getPodAntiAffinity() != null
                  && affinity
                      .getPodAntiAffinity()
                      .getRequiredDuringSchedulingIgnoredDuringExecution()
                      .stream()
                      .anyMatch(t -> "kubernetes.io/hostname".equals(t.getTopologyKey())));
      if (w.minReplicas() > 1 && !byNode) {
        unspread.add(w.name());
      }
    }
    assertThat(unspread).as("multi-replica workloads not spread over nodes").isEmpty();
  }

  @Test
  void deploymentsRollWithoutLosingAPodAndCoreServicesRunThree() {
    assertThat(KubernetesChecks.deploymentsThatMayDropAvailability(sample)).isEmpty();
    assertThat(Workload.in(KubernetesChecks.objects(sample)))
        .filteredOn(w -> Set.of("platform-edge", "platform-app").contains(w.namespace()))
        .isNotEmpty()
        .allSatisfy(w -> assertThat(w.minReplicas()).as(w.name()).isGreaterThanOrEqualTo(3));
  }

  @Test
  void everyNamespaceDeniesAllTrafficByDefault() {
    assertThat(KubernetesChecks.namespacesWithoutDefaultDeny(sample)).isEmpty();
  }

  @Test
  void theDataLayerTakesTrafficOnlyFromTheAppLayerAndTheLogPipeline() {
    List<String> problems = new ArrayList<>();
    for (NetworkPolicy p : sample.of(NetworkPolicy.class)) {
      if (!"platform-data".equals(p.getMetadata().getNamespace())) {
        continue;
      }
      for (var rule : p.getSpec().getIngress()) {
        if (rule.getFrom().isEmpty()) {
          problems.add(p.getMetadata().getName() + ": a rule open to every source");
        }
        for (NetworkPolicyPeer peer : rule.getFrom()) {
          if (!allowedIntoData(peer)) {
            problems.add(p.getMetadata().getName() + ": admits " + peer);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theEdgeIsTheOnlyWayInAndEveryIngressUsesItsClass() {
    assertThat(sample.of(Service.class))
        .filteredOn(
            s -> Set.of("LoadBalancer", "NodePort").contains(String.valueOf(s.getSpec().getType())))
        .extracting(s -> s.getMetadata().getNamespace())
        .containsExactly("platform-edge");
    List<String> classes =
        sample.of(IngressClass.class).stream().map(c -> c.getMetadata().getName()).toList();
    assertThat(sample.of(Ingress.class))
        .isNotEmpty()
        .allSatisfy(i -> assertThat(classes).contains(i.getSpec().getIngressClassName()));
  }

  @Test
  void referencesPointAtObjectsAndKeysThatExist() {
    assertThat(KubernetesReferences.dangling(sample)).isEmpty();
    assertThat(KubernetesChecks.servicesSelectingNoPods(sample)).isEmpty();
  }

  @Test
  void volumeClaimsUseTheFastSsdAndBulkStorageClasses() {
    assertThat(sample.of(StorageClass.class))
        .extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder("fast-ssd", "bulk");
    List<PersistentVolumeClaim> claims =
        sample.of(StatefulSet.class).stream()
            .flatMap(s -> s.getSpec().getVolumeClaimTemplates().stream())
            .toList();
    assertThat(claims)
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.getSpec().getStorageClassName()).isIn("fast-ssd", "bulk"))
        .anySatisfy(c -> assertThat(c.getSpec().getStorageClassName()).isEqualTo("bulk"));
  }

  @Test
  void secretsHoldOnlyPlaceholdersAndNoEncodedData() {
    assertThat(sample.of(Secret.class))
        .isNotEmpty()
        .allSatisfy(
            s -> {
              assertThat(s.getData()).as(s.getMetadata().getName()).isNullOrEmpty();
              Map<String, String> values = s.getStringData();
              if (values != null) {
                values.forEach(
                    (k, v) ->
                        assertThat(v.contains("change-me") || v.matches("(changeme)+"))
                            .as(s.getMetadata().getName() + "/" + k)
                            .isTrue());
              }
            });
  }

  @Test
  void everySecretManifestIsSopsEncryptedForTheDemoKeyWithNoPlainValueOnDisk() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(RepoPaths.sampleKubernetes())) {
      files = walk.filter(p -> p.getFileName().toString().equals("secrets.yaml")).sorted().toList();
    }
    assertThat(files).hasSize(4);
    for (Path file : files) {
      String text = Files.readString(file);
      assertThat(text)
          .as(file.toString())
          .contains("recipient: " + DemoKey.RECIPIENT, "encrypted_regex: ^(data|stringData)$")
          .doesNotContain("change-me", "changeme");
      for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(text)) {
        Map<?, ?> secret = (Map<?, ?>) document;
        assertThat(secret.get("sops"))
            .as(file + ": every document carries the sops block")
            .isNotNull();
        Map<?, ?> values = (Map<?, ?>) secret.get("stringData");
        assertThat(values.values())
            .as(file + ": every stringData value")
            .isNotEmpty()
            .allSatisfy(v -> assertThat(String.valueOf(v)).startsWith("ENC[AES256_GCM,data:"));
      }
    }
  }

  /** Same namespace, the app layer, or the monitoring layer's named log pipeline pods. */
  private static boolean allowedIntoData(NetworkPolicyPeer peer) {
    if (peer.getIpBlock() != null) {
      return false;
    }
    LabelSelector ns = peer.getNamespaceSelector();
    if (ns == null) {
      return true; // a pod selector alone stays inside platform-data
    }
    Map<String, String> labels = ns.getMatchLabels() == null ? Map.of() : ns.getMatchLabels();
    if (Map.of(LAYER, "app").equals(labels) && ns.getMatchExpressions().isEmpty()) {
      return true;
    }
    return Map.of(LAYER, "monitoring").equals(labels)
        && !KubernetesChecks.isEmpty(peer.getPodSelector())
        && !KubernetesChecks.selects(
            peer.getPodSelector(), Map.of("app.kubernetes.io/name", "prometheus"));
  }
}
