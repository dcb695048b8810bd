package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tidemark's own Kubernetes deployment loads into fabric8's typed model and runs Tidemark the way
 * the issue asks: two non-root, read-only replicas with leader election and health probes, and RBAC
 * that grants exactly what reconciling the sample platform needs.
 */
class DeployKubernetesManifestsTest {

  private static final Set<String> RECONCILE_VERBS =
      Set.of("get", "list", "watch", "create", "update", "patch", "delete");
  private static ManifestFolder deploy;
  private static ManifestFolder sample;
  private static Deployment tidemark;
  private static Container container;

  @BeforeAll
  static void readDeployment() {
    deploy = ManifestFolder.read(RepoPaths.deployKubernetes());
    sample = ManifestFolder.read(RepoPaths.sampleKubernetes());
    tidemark = deploy.of(Deployment.class).get(0);
    container = tidemark.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void builtInKindsLoadTypedAndTheServiceMonitorScrapesMetrics() {
    assertThat(KubernetesChecks.untypedBuiltIns(deploy)).isEmpty();
    assertThat(KubernetesChecks.unknownFields(deploy)).isEmpty();
    assertThat(deploy.of(GenericKubernetesResource.class))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getKind()).isEqualTo("ServiceMonitor");
              assertThat(m.getAdditionalProperties().toString()).contains("path=/q/metrics");
            });
  }

  @Test
  void theDeploymentKeepsTheRulesOfEveryManifestFolderOfThisProject() {
    assertThat(KubernetesChecks.workloadsWithoutResourcesOrProbes(deploy)).isEmpty();
    assertThat(KubernetesChecks.podsThatMayRunAsRoot(deploy)).isEmpty();
    assertThat(RestrictedPodSecurity.violations(deploy)).isEmpty();
    assertThat(KubernetesChecks.multiReplicaWorkloadsWithoutBudget(deploy)).isEmpty();
    assertThat(KubernetesChecks.namespacesWithoutDefaultDeny(deploy)).isEmpty();
    assertThat(KubernetesChecks.deploymentsThatMayDropAvailability(deploy)).isEmpty();
    assertThat(KubernetesChecks.servicesSelectingNoPods(deploy)).isEmpty();
    assertThat(KubernetesReferences.dangling(deploy)).isEmpty();
  }

  @Test
  void twoReplicasElectALeaderAndProbeTheHealthEndpoints() {
    assertThat(tidemark.getSpec().getReplicas()).isEqualTo(2);
    assertThat(container.getEnv())
        .contains(new EnvVar("TIDEMARK_LEADER_ELECTION_ENABLED", "true", null));
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
  }

  @Test
  void theRootFilesystemIsReadOnlyWithScratchSpaceForTmpAndTheDataDirectory() throws IOException {
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    List<Volume> volumes = tidemark.getSpec().getTemplate().getSpec().getVolumes();
    for (String path : List.of("/tmp", "/var/lib/tidemark")) {
      VolumeMount mount =
          container.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals(path))
              .findFirst()
              .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
      assertThat(volumes)
          .filteredOn(v -> v.getName().equals(mount.getName()))
          .singleElement()
          .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
    }
    assertThat(properties().getProperty("tidemark.data-dir")).isEqualTo("/var/lib/tidemark");
  }

  @Test
  void theConfigurationUsesOnlyDocumentedKeys() throws IOException {
    ConfigKeys keys = ConfigKeys.fromReadme();
    assertThat(properties().stringPropertyNames()).allMatch(keys::knowsProperty);
    // Leader election is the one switch of the Kubernetes deployment that the table lacks.
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .filteredOn(n -> n.startsWith("TIDEMARK_"))
        .allMatch(
            n -> n.equals("TIDEMARK_LEADER_ELECTION_ENABLED") || keys.knowsEnvironmentVariable(n));
    ComposeFolder swarm = ComposeFolder.read(RepoPaths.deploySwarm());
    assertThat(Maps.map(swarm.services().get("tidemark").spec(), "environment").keySet())
        .filteredOn(n -> n.startsWith("TIDEMARK_"))
        .isNotEmpty()
        .allMatch(keys::knowsEnvironmentVariable);
  }

  @Test
  void theClusterRoleCoversEveryKindOfTheSampleWithTheReconcileVerbsAndNoWildcards() {
    List<PolicyRule> rules = clusterRules();
    List<String> missing = new ArrayList<>();
    for (HasMetadata o : KubernetesChecks.objects(sample)) {
      String group = HasMetadata.getGroup(o.getClass());
      String plural = HasMetadata.getPlural(o.getClass());
      for (String verb : RECONCILE_VERBS) {
        if (!allows(rules, group, plural, verb)) {
          missing.add(group + "/" + plural + " " + verb);
        }
      }
    }
    assertThat(missing.stream().distinct()).isEmpty();
    List<PolicyRule> all = new ArrayList<>(rules);
    deploy.of(Role.class).forEach(r -> all.addAll(r.getRules()));
    assertThat(all)
        .allSatisfy(
            r -> {
              assertThat(r.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
              assertThat(r.getResources()).doesNotContain("*");
              assertThat(r.getApiGroups()).doesNotContain("*");
            });
  }

  @Test
  void tidemarkHoldsEveryPermissionTheSampleGrantsSoItCreatesRolesWithoutEscalate() {
    List<PolicyRule> granted = new ArrayList<>();
    sample.of(Role.class).forEach(r -> granted.addAll(r.getRules()));
    sample.of(ClusterRole.class).forEach(r -> granted.addAll(r.getRules()));
    assertThat(granted).isNotEmpty();
    List<String> missing = new ArrayList<>();
    for (PolicyRule rule : granted) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            if (!allows(clusterRules(), group, resource, verb)) {
              missing.add(group + "/" + resource + " " + verb);
            }
          }
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void aRoleInItsOwnNamespaceAllowsTheLeaderLeaseAndTheInventoryConfigMaps() {
    List<PolicyRule> rules =
        deploy.of(Role.class).stream()
            .filter(r -> "tidemark".equals(r.getMetadata().getNamespace()))
            .flatMap(r -> r.getRules().stream())
            .toList();
    for (String verb : List.of("get", "create", "update")) {
      assertThat(allows(rules, "coordination.k8s.io", "leases", verb)).as(verb).isTrue();
      assertThat(allows(rules, "", "configmaps", verb)).as(verb).isTrue();
    }
  }

  private static List<PolicyRule> clusterRules() {
    return deploy.of(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()).toList();
  }

  private static boolean allows(
      List<PolicyRule> rules, String group, String resource, String verb) {
    return rules.stream()
        .anyMatch(
            r ->
                r.getApiGroups().contains(group)
                    && r.getResources().contains(resource)
                    && r.getVerbs().contains(verb)
                    && r.getResourceNames().isEmpty());
  }

  private static Properties properties() throws IOException {
    ConfigMap config = deploy.of(ConfigMap.class).get(0);
    Properties properties = new Properties();
    properties.load(new StringReader(config.getData().get("application.properties")));
    return properties;
  }
}
