package io.tidemark.cluster.kubernetes;

import io.tidemark.model.ObjectKey;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which Kubernetes objects are applied (deletes run in reverse): Namespaces and CRDs,
 * then ServiceAccounts and RBAC, ConfigMaps and Secrets, storage, workloads, Services, Ingresses,
 * and everything else (custom resources last, after their CRDs). Helm hooks go around the rest:
 * after Namespaces and CRDs, {@code pre-install/pre-upgrade} hooks first and {@code post-*} hooks
 * last, each phase in kind order. Ties go by kind, namespace, name.
 */
public final class ApplyOrder implements Comparator<ObjectKey> {

  private final Map<ObjectKey, HookPhase> hooks;

  /** The order of objects none of which is a Helm hook. */
  public ApplyOrder() {
    this(Map.of());
  }

  /**
   * @param hooks the Helm hook objects of the desired state and their phase
   */
  ApplyOrder(Map<ObjectKey, HookPhase> hooks) {
    this.hooks = Map.copyOf(hooks);
  }

  /** Qualified kinds ({@link Kinds}) in apply order; kinds not listed come after all of them. */
  private static final List<String> ORDER =
      List.of(
          // Everything else lives in these.
          "Namespace",
          "CustomResourceDefinition.apiextensions.k8s.io",
          // Identities and permissions that workloads run as.
          "ServiceAccount",
          "ClusterRole.rbac.authorization.k8s.io",
          "ClusterRoleBinding.rbac.authorization.k8s.io",
          "Role.rbac.authorization.k8s.io",
          "RoleBinding.rbac.authorization.k8s.io",
          // Configuration that pods mount or read at start.
          "ConfigMap",
          "Secret",
          // Storage, classes before the volumes and claims that name them.
          "StorageClass.storage.k8s.io",
          "PersistentVolume",
          "PersistentVolumeClaim",
          // Workloads.
          "Deployment.apps",
          "StatefulSet.apps",
          "DaemonSet.apps",
          "ReplicaSet.apps",
          "ReplicationController",
          "Job.batch",
          "CronJob.batch",
          "Pod",
          // Traffic to the workloads.
          "Service",
          "IngressClass.networking.k8s.io",
          "Ingress.networking.k8s.io");

  /** The rank of the last kind that every other object may live in or be an instance of. */
  private static final int FOUNDATIONS = 1;

  /** Qualified kind -> its position in {@link #ORDER}; looked up once per comparison. */
  private static final Map<String, Integer> RANKS = ranks();

  private static Map<String, Integer> ranks() {
    Map<String, Integer> ranks = new HashMap<>();
    for (int i = 0; i < ORDER.size(); i++) {
      ranks.put(ORDER.get(i), i);
    }
    return Map.copyOf(ranks);
  }

  @Override
  public int compare(ObjectKey a, ObjectKey b) {
    int byPhase = Integer.compare(phase(a), phase(b));
    if (byPhase != 0) {
      return byPhase;
    }
    int byRank = Integer.compare(rank(a.kind()), rank(b.kind()));
    return byRank != 0 ? byRank : a.compareTo(b);
  }

  /** 0 for the foundations (Namespaces, CRDs), then pre hooks, the rest, post hooks. */
  private int phase(ObjectKey key) {
    if (rank(key.kind()) <= FOUNDATIONS) {
      return 0;
    }
    return switch (hooks.getOrDefault(key, HookPhase.MAIN)) {
      case PRE -> 1;
      case POST -> 3;
      default -> 2;
    };
  }

  /** The position of a kind in apply order; every unlisted kind shares the last position. */
  static int rank(String qualifiedKind) {
    return RANKS.getOrDefault(qualifiedKind, ORDER.size());
  }
}
