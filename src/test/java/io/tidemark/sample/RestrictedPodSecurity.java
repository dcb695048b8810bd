package io.tidemark.sample;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the Pod Security "restricted" level that the API server would enforce on the pods of
 * namespaces labelled {@code pod-security.kubernetes.io/enforce: restricted}, checked before a
 * cluster rejects the pods at rollout time.
 */
final class RestrictedPodSecurity {

  private static final String ENFORCE = "pod-security.kubernetes.io/enforce";

  private RestrictedPodSecurity() {}

  /** Every violation in the restricted namespaces of {@code folder}. */
  static List<String> violations(ManifestFolder folder) {
    Set<String> restricted = new java.util.HashSet<>();
    for (Namespace ns : folder.of(Namespace.class)) {
      Map<String, String> labels = ns.getMetadata().getLabels();
      if (labels != null && "restricted".equals(labels.get(ENFORCE))) {
        restricted.add(ns.getMetadata().getName());
      }
    }
    List<String> problems = new ArrayList<>();
    for (Workload w : Workload.in(KubernetesChecks.objects(folder))) {
      if (restricted.contains(w.namespace())) {
        check(w, problems);
      }
    }
    return problems;
  }

  private static void check(Workload w, List<String> problems) {
    PodSpec pod = w.pod();
    PodSecurityContext podContext = pod.getSecurityContext();
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      problems.add(w.name() + ": shares a host namespace");
    }
    for (Volume v : pod.getVolumes()) {
      if (v.getHostPath() != null) {
        problems.add(w.name() + ": hostPath volume " + v.getName());
      }
    }
    boolean podSeccomp =
        podContext != null
            && podContext.getSeccompProfile() != null
            && Set.of("RuntimeDefault", "Localhost")
                .contains(podContext.getSeccompProfile().getType());
    boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
    if (podContext != null && Long.valueOf(0).equals(podContext.getRunAsUser())) {
      problems.add(w.name() + ": pod runs as user 0");
    }
    List<Container> containers = new ArrayList<>(pod.getContainers());
    containers.addAll(pod.getInitContainers());
    for (Container c : containers) {
      String name = w.name() + " " + c.getName();
      SecurityContext sc = c.getSecurityContext();
      if (sc == null) {
        problems.add(name + ": no securityContext");
        continue;
      }
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        problems.add(name + ": allowPrivilegeEscalation is not false");
      }
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        problems.add(name + ": privileged");
      }
      Capabilities caps = sc.getCapabilities();
      if (caps == null || !caps.getDrop().contains("ALL")) {
        problems.add(name + ": does not drop ALL capabilities");
      } else if (!Set.of("NET_BIND_SERVICE").containsAll(caps.getAdd())) {
        problems.add(name + ": adds capabilities " + caps.getAdd());
      }
      if (!podNonRoot && !Boolean.TRUE.equals(sc.getRunAsNonRoot())) {
        problems.add(name + ": runAsNonRoot is not true");
      }
      if (Long.valueOf(0).equals(sc.getRunAsUser())) {
        problems.add(name + ": runs as user 0");
      }
      boolean seccomp =
          sc.getSeccompProfile() != null
              && Set.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType());
      if (!podSeccomp && !seccomp) {
        problems.add(name + ": no RuntimeDefault or Localhost seccomp profile");
      }
    }
  }
}
