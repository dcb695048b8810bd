package io.tidemark.sample;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.tidemark.sample.ManifestFolder.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rules every Kubernetes manifest folder of this project keeps (the sample platform and Tidemark's
 * own deployment); each returns the violations it finds, one readable line each.
 */
final class KubernetesChecks {

  /** The API groups whose kinds fabric8 ships typed classes for and that these folders use. */
  static final Set<String> BUILT_IN_GROUPS =
      Set.of(
          "v1",
          "apps/v1",
          "batch/v1",
          "policy/v1",
          "autoscaling/v2",
          "networking.k8s.io/v1",
          "storage.k8s.io/v1",
          "rbac.authorization.k8s.io/v1",
          "coordination.k8s.io/v1");

  /** Pods that must run as root carry this annotation on their workload, with the reason. */
  static final String RUNS_AS_ROOT = "platform.example.com/runs-as-root";

  private KubernetesChecks() {}

  /** Built-in kinds that fabric8 did not turn into their typed class. */
  static List<String> untypedBuiltIns(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    for (Manifest m : folder.all()) {
      HasMetadata o = m.object();
      if (BUILT_IN_GROUPS.contains(o.getApiVersion())
          && (o instanceof GenericKubernetesResource
              || !o.getClass().getSimpleName().equals(o.getKind()))) {
        problems.add(m.where() + ": loaded as " + o.getClass().getName());
      }
    }
    return problems;
  }

  /** Fields fabric8 could not place in its model: typos and misplaced keys. */
  static List<String> unknownFields(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    for (Manifest m : folder.all()) {
      UnknownFields.in(m.object()).forEach(f -> problems.add(m.where() + ": unknown field " + f));
    }
    return problems;
  }

  /** Containers without CPU and memory requests and limits, or without probes. */
  static List<String> workloadsWithoutResourcesOrProbes(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    for (Workload w : Workload.in(objects(folder))) {
      List<Container> all = new ArrayList<>(w.pod().getContainers());
      all.addAll(w.pod().getInitContainers());
      for (Container c : all) {
        if (!bounded(c.getResources())) {
          problems.add(w.name() + " " + c.getName() + ": needs cpu and memory requests and limits");
        }
      }
      // A Job's pod ends on its own: probes would only add restarts.
      for (Container c : w.isJob() ? List.<Container>of() : w.pod().getContainers()) {
        if (c.getReadinessProbe() == null || c.getLivenessProbe() == null) {
          problems.add(w.name() + " " + c.getName() + ": needs readiness and liveness probes");
        }
      }
    }
    return problems;
  }

  /** Workloads of more than one replica that no PodDisruptionBudget selects. */
  static List<String> multiReplicaWorkloadsWithoutBudget(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    List<PodDisruptionBudget> budgets = folder.of(PodDisruptionBudget.class);
    for (Workload w : Workload.in(objects(folder))) {
      boolean covered =
          budgets.stream()
              .anyMatch(
                  b ->
                      b.getMetadata().getNamespace().equals(w.namespace())
                          && selects(b.getSpec().getSelector(), w.podLabels()));
      if (w.minReplicas() > 1 && !covered) {
        problems.add(w.name() + ": " + w.minReplicas() + " replicas and no PodDisruptionBudget");
      }
    }
    for (PodDisruptionBudget b : budgets) {
      boolean selectsAny =
          Workload.in(objects(folder)).stream()
              .anyMatch(
                  w ->
                      w.namespace().equals(b.getMetadata().getNamespace())
                          && selects(b.getSpec().getSelector(), w.podLabels()));
      if (!selectsAny) {
        problems.add("PodDisruptionBudget/" + b.getMetadata().getName() + ": selects no workload");
      }
    }
    return problems;
  }

  /** Namespaces without a policy that denies all ingress and egress to every pod. */
  static List<String> namespacesWithoutDefaultDeny(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    for (Namespace ns : folder.of(Namespace.class)) {
      String name = ns.getMetadata().getName();
      boolean denies =
          folder.of(NetworkPolicy.class).stream()
              .filter(p -> name.equals(p.getMetadata().getNamespace()))
              .map(NetworkPolicy::getSpec)
              .anyMatch(
                  s ->
                      isEmpty(s.getPodSelector())
                          && s.getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                          && s.getIngress().isEmpty()
                          && s.getEgress().isEmpty());
      if (!denies) {
        problems.add("Namespace/" + name + ": no default-deny NetworkPolicy");
      }
    }
    return problems;
  }

  /** Deployments whose rolling update may take a pod away before its replacement is ready. */
  static List<String> deploymentsThatMayDropAvailability(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : folder.of(Deployment.class)) {
      var strategy = d.getSpec().getStrategy();
      boolean safe =
          strategy != null
              && "RollingUpdate".equals(strategy.getType())
              && strategy.getRollingUpdate() != null
              && strategy.getRollingUpdate().getMaxUnavailable() != null
              && Objects.equals(strategy.getRollingUpdate().getMaxUnavailable().getIntVal(), 0);
      if (!safe) {
        problems.add("Deployment/" + d.getMetadata().getName() + ": needs maxUnavailable 0");
      }
    }
    return problems;
  }

  /** Pods that may run as root without their workload saying why. */
  static List<String> podsThatMayRunAsRoot(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    for (Workload w : Workload.in(objects(folder))) {
      Map<String, String> annotations = w.object().getMetadata().getAnnotations();
      if (annotations != null && annotations.get(RUNS_AS_ROOT) != null) {
        continue;
      }
      PodSecurityContext pod = w.pod().getSecurityContext();
      boolean podNonRoot = pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
      for (Container c : w.pod().getContainers()) {
        boolean containerNonRoot =
            c.getSecurityContext() != null
                && Boolean.TRUE.equals(c.getSecurityContext().getRunAsNonRoot());
        if (!podNonRoot && !containerNonRoot) {
          problems.add(w.name() + " " + c.getName() + ": runAsNonRoot is not set");
        }
        if (c.getSecurityContext() == null
            || !Boolean.FALSE.equals(c.getSecurityContext().getAllowPrivilegeEscalation())) {
          problems.add(w.name() + " " + c.getName() + ": allowPrivilegeEscalation is not false");
        }
      }
    }
    return problems;
  }

  /** Services whose selector matches no pod template of the folder. */
  static List<String> servicesSelectingNoPods(ManifestFolder folder) {
    List<String> problems = new ArrayList<>();
    List<Workload> workloads = Workload.in(objects(folder));
    for (Service s : folder.of(Service.class)) {
      Map<String, String> selector = s.getSpec().getSelector();
      boolean matches =
          selector != null
              && workloads.stream()
                  .anyMatch(
                      w ->
                          w.namespace().equals(s.getMetadata().getNamespace())
                              && w.podLabels().entrySet().containsAll(selector.entrySet()));
      if (!matches) {
        problems.add("Service/" + s.getMetadata().getName() + ": selects no pods");
      }
    }
    return problems;
  }

  /** Whether {@code selector} (match labels and expressions) selects pods with {@code labels}. */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> match = selector.getMatchLabels();
    if (match != null && !labels.entrySet().containsAll(match.entrySet())) {
      return false;
    }
    return selector.getMatchExpressions().stream()
        .allMatch(
            e ->
                switch (e.getOperator()) {
                  case "In" -> e.getValues().contains(labels.get(e.getKey()));
                  case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
                  case "Exists" -> labels.containsKey(e.getKey());
                  case "DoesNotExist" -> !labels.containsKey(e.getKey());
                  default -> false;
                });
  }

  static boolean isEmpty(LabelSelector selector) {
    return selector == null
        || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
            && selector.getMatchExpressions().isEmpty());
  }

  static List<HasMetadata> objects(ManifestFolder folder) {
    return folder.all().stream().map(Manifest::object).toList();
  }

  private static boolean bounded(ResourceRequirements r) {
    return r != null
        && r.getRequests().keySet().containsAll(List.of("cpu", "memory"))
        && r.getLimits().keySet().containsAll(List.of("cpu", "memory"));
  }
}
