package io.tidemark.sample;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An object that runs pods (Deployment, StatefulSet, DaemonSet, Job), seen through what the checks
 * need: its pod template and how many replicas it runs at least.
 */
record Workload(HasMetadata object, PodTemplateSpec template, int minReplicas) {

  /** The workloads among {@code objects}; an autoscaler's minimum stands in for unset replicas. */
  static List<Workload> in(List<HasMetadata> objects) {
    List<HorizontalPodAutoscaler> autoscalers =
        objects.stream()
            .filter(HorizontalPodAutoscaler.class::isInstance)
            .map(HorizontalPodAutoscaler.class::cast)
            .toList();
    return objects.stream().map(o -> of(o, autoscalers)).flatMap(Optional::stream).toList();
  }

  private static Optional<Workload> of(HasMetadata o, List<HorizontalPodAutoscaler> autoscalers) {
    if (o instanceof Deployment d) {
      int replicas =
          d.getSpec().getReplicas() != null
              ? d.getSpec().getReplicas()
              : autoscaledMinimum(d, autoscalers);
      return Optional.of(new Workload(d, d.getSpec().getTemplate(), replicas));
    }
    if (o instanceof StatefulSet s) {
      int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
      return Optional.of(new Workload(s, s.getSpec().getTemplate(), replicas));
    }
    if (o instanceof DaemonSet d) {
      return Optional.of(new Workload(d, d.getSpec().getTemplate(), 0));
    }
    if (o instanceof Job j) {
      return Optional.of(new Workload(j, j.getSpec().getTemplate(), 0));
    }
    return Optional.empty();
  }

  private static int autoscaledMinimum(Deployment d, List<HorizontalPodAutoscaler> autoscalers) {
    return autoscalers.stream()
        .filter(h -> h.getMetadata().getNamespace().equals(d.getMetadata().getNamespace()))
        .filter(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind()))
        .filter(h -> d.getMetadata().getName().equals(h.getSpec().getScaleTargetRef().getName()))
        .map(h -> h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas())
        .findFirst()
        .orElse(1); // the API server's default for an unset replica count
  }

  String name() {
    return object.getKind()
        + "/"
        + object.getMetadata().getNamespace()
        + "/"
        + object.getMetadata().getName();
  }

  String namespace() {
    return object.getMetadata().getNamespace();
  }

  PodSpec pod() {
    return template.getSpec();
  }

  Map<String, String> podLabels() {
    Map<String, String> labels = template.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  boolean isJob() {
    return object instanceof Job;
  }

  boolean isDaemonSet() {
    return object instanceof DaemonSet;
  }
}
