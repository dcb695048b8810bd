package io.tidemark.cluster.kubernetes;

import java.util.Set;

/**
 * Names kinds as Tidemark keys them, {@code Kind.group} like kubectl's {@code deployment.apps}
 * ({@code Deployment.apps}, {@code BackupSchedule.ops.example.com}) and the bare kind for the core
 * group ({@code ConfigMap}); the version is left out, so one object under two versions is one key.
 * Knows which built-in kinds are cluster-scoped.
 */
final class Kinds {

  /** Built-in cluster-scoped kinds of Kubernetes 1.32 that a repository may declare. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "Node",
          "PersistentVolume",
          "ComponentStatus",
          "CustomResourceDefinition.apiextensions.k8s.io",
          "APIService.apiregistration.k8s.io",
          "ClusterRole.rbac.authorization.k8s.io",
          "ClusterRoleBinding.rbac.authorization.k8s.io",
          "StorageClass.storage.k8s.io",
          "CSIDriver.storage.k8s.io",
          "CSINode.storage.k8s.io",
          "VolumeAttachment.storage.k8s.io",
          "VolumeAttributesClass.storage.k8s.io",
          "PriorityClass.scheduling.k8s.io",
          "RuntimeClass.node.k8s.io",
          "IngressClass.networking.k8s.io",
          "IPAddress.networking.k8s.io",
          "ServiceCIDR.networking.k8s.io",
          "MutatingWebhookConfiguration.admissionregistration.k8s.io",
          "ValidatingWebhookConfiguration.admissionregistration.k8s.io",
          "ValidatingAdmissionPolicy.admissionregistration.k8s.io",
          "ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io",
          "MutatingAdmissionPolicy.admissionregistration.k8s.io",
          "MutatingAdmissionPolicyBinding.admissionregistration.k8s.io",
          "CertificateSigningRequest.certificates.k8s.io",
          "ClusterTrustBundle.certificates.k8s.io",
          "FlowSchema.flowcontrol.apiserver.k8s.io",
          "PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io",
          "DeviceClass.resource.k8s.io",
          "StorageVersion.internal.apiserver.k8s.io");

  private Kinds() {}

  /** {@code Deployment.apps} for ({@code apps/v1}, {@code Deployment}), {@code Secret} for v1. */
  static String qualified(String apiVersion, String kind) {
    String group = group(apiVersion);
    return group.isEmpty() ? kind : kind + "." + group;
  }

  /** The API group of an apiVersion: {@code apps} for {@code apps/v1}, empty for {@code v1}. */
  static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The kind of a qualified kind: {@code Deployment} for {@code Deployment.apps}. */
  static String kind(String qualified) {
    int dot = qualified.indexOf('.');
    return dot < 0 ? qualified : qualified.substring(0, dot);
  }

  /** The group of a qualified kind: {@code apps} for {@code Deployment.apps}. */
  static String groupOf(String qualified) {
    int dot = qualified.indexOf('.');
    return dot < 0 ? "" : qualified.substring(dot + 1);
  }

  static boolean builtInClusterScoped(String qualifiedKind) {
    return CLUSTER_SCOPED.contains(qualifiedKind);
  }
}
