package io.tidemark.cluster.kubernetes.lease;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the fields of {@code coordination.k8s.io/v1} Leases as client-go's leader
 * election does, and tells when a Lease expired the way client-go does too: by this process's own
 * clock, a lease duration after its record last changed, so that clocks of different nodes never
 * need to agree.
 */
final class LeaseRecords {

  /** The annotation that carries the base URL of the holder's API. */
  static final String ADDRESS = "tidemark.io/address";

  static final String GROUP = "tidemark.io/lease-group";

  private final Duration defaultDuration;
  private final Map<String, Observation> observed = new HashMap<>();
  private final Map<String, Instant> missingSince = new HashMap<>();

  private record Observation(String version, Instant since) {}

  LeaseRecords(Duration defaultDuration) {
    this.defaultDuration = defaultDuration;
  }

  static String holder(Lease lease) {
    LeaseSpec spec = lease.getSpec();
    return spec == null || spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity();
  }

  static Optional<String> address(Lease lease) {
    Map<String, String> annotations = lease.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(ADDRESS))
        .filter(a -> !a.isBlank());
  }

  /** Notes what {@code lease} looks like now; call once per look, before asking about it. */
  void observe(String name, Optional<Lease> lease, Instant now) {
    if (lease.isEmpty()) {
      observed.remove(name);
      missingSince.putIfAbsent(name, now);
      return;
    }
    missingSince.remove(name);
    String version = lease.get().getMetadata().getResourceVersion();
    Observation last = observed.get(name);
    if (last == null || !last.version().equals(version)) {
      observed.put(name, new Observation(version, now));
    }
  }

  /** The live holder of a lease, empty when nobody holds it or its holder stopped renewing. */
  Optional<String> liveHolder(String name, Optional<Lease> lease, Instant now) {
    if (lease.isEmpty() || holder(lease.get()).isEmpty()) {
      return Optional.empty();
    }
    return expiry(name, lease.get()).isAfter(now)
        ? Optional.of(holder(lease.get()))
        : Optional.empty();
  }

  /** How long a lease has been free (missing, released or expired) as this process saw it. */
  Duration freeFor(String name, Optional<Lease> lease, Instant now) {
    if (lease.isEmpty()) {
      return Duration.between(missingSince.getOrDefault(name, now), now);
    }
    Observation seen = observed.get(name);
    Instant since = seen == null ? now : seen.since();
    Instant freeSince = holder(lease.get()).isEmpty() ? since : expiry(name, lease.get());
    return freeSince.isAfter(now) ? Duration.ZERO : Duration.between(freeSince, now);
  }

  private Instant expiry(String name, Lease lease) {
    Observation seen = observed.get(name);
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    Duration duration = seconds == null ? defaultDuration : Duration.ofSeconds(seconds);
    return (seen == null ? Instant.MIN : seen.since()).plus(duration);
  }

  /** A new Lease held by {@code identity} from {@code now}. */
  static Lease created(
      String name,
      String namespace,
      String group,
      String identity,
      Duration duration,
      Optional<String> address,
      Instant now) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(GROUP, group)
            .endMetadata()
            .withNewSpec()
            .withLeaseTransitions(0)
            .endSpec()
            .build();
    return held(lease, identity, duration, address, now);
  }

  /** {@code lease} taken over (or kept) by {@code identity} at {@code now}. */
  static Lease held(
      Lease lease, String identity, Duration duration, Optional<String> address, Instant now) {
    LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
    boolean transition = !identity.equals(holder(lease));
    if (transition) {
      spec.setAcquireTime(micro(now));
      int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
      spec.setLeaseTransitions(holder(lease).isEmpty() ? transitions : transitions + 1);
    }
    spec.setHolderIdentity(identity);
    spec.setLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()));
    spec.setRenewTime(micro(now));
    lease.setSpec(spec);
    Map<String, String> annotations =
        lease.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(lease.getMetadata().getAnnotations());
    address.ifPresentOrElse(a -> annotations.put(ADDRESS, a), () -> annotations.remove(ADDRESS));
    lease.getMetadata().setAnnotations(annotations);
    return lease;
  }

  /** {@code lease} given up, as client-go releases one: no holder, a one-second duration. */
  static Lease released(Lease lease, Instant now) {
    LeaseSpec spec = lease.getSpec();
    spec.setHolderIdentity("");
    spec.setLeaseDurationSeconds(1);
    spec.setRenewTime(micro(now));
    if (lease.getMetadata().getAnnotations() != null) {
      lease.getMetadata().getAnnotations().remove(ADDRESS);
    }
    return lease;
  }

  private static ZonedDateTime micro(Instant instant) {
    // The API server keeps microseconds; finer digits would only differ from what it echoes.
    return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
  }
}
