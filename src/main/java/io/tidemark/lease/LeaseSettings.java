package io.tidemark.lease;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How replicas elect their leader through a {@code coordination.k8s.io/v1} Lease: the Lease's name
 * and namespace, this replica's identity, and the timings of client-go's leader election (a leader
 * renews every retry period and gives up when it cannot renew within the renew deadline; the others
 * take over once the lease duration passed without a renewal).
 */
public record LeaseSettings(
    String name,
    String namespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  /** Where Kubernetes mounts the namespace of the pod's service account. */
  public static final Path POD_NAMESPACE_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  public LeaseSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(identity, "identity");
    if (name.isBlank() || namespace.isBlank() || identity.isBlank()) {
      throw new IllegalArgumentException("lease name, namespace and identity must not be blank");
    }
    if (retryPeriod.isNegative() || retryPeriod.isZero()) {
      throw new IllegalArgumentException("retry-period must be positive");
    }
    // client-go's and fabric8's own rule: a leader must give up before others may take over.
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException("lease-duration must be longer than renew-deadline");
    }
    if (renewDeadline.compareTo(retryPeriod.multipliedBy(12).dividedBy(10)) <= 0) {
      throw new IllegalArgumentException("renew-deadline must be longer than 1.2 x retry-period");
    }
  }

  /** The namespace of the pod this process runs in, or {@code default} outside a pod. */
  public static String podNamespace(Path namespaceFile) {
    try {
      if (Files.isReadable(namespaceFile)) {
        String namespace = Files.readString(namespaceFile).trim();
        if (!namespace.isEmpty()) {
          return namespace;
        }
      }
    } catch (IOException e) {
      // Unreadable means not in a pod, or no service account token mounted: use the default.
    }
    return "default";
  }

  /** This replica's identity: the host name, which in a pod is the pod's name. */
  public static String hostIdentity() {
    String hostname = System.getenv("HOSTNAME");
    if (hostname != null && !hostname.isBlank()) {
      return hostname;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      throw new IllegalStateException("cannot tell this host's name for the leader lease", e);
    }
  }
}
