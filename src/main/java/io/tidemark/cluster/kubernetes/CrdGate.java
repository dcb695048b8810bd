package io.tidemark.cluster.kubernetes;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Trees;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds back the custom resources of one apply until the CustomResourceDefinitions that the same
 * apply created or changed are {@code Established}: the server serves a new kind only then, and a
 * custom resource applied before answers 404. Waits at most a bounded time per CRD; one instance
 * serves one apply, and its threads may share it.
 */
final class CrdGate {

  static final String CRD_KIND = "CustomResourceDefinition.apiextensions.k8s.io";

  private final KubeApi api;
  private final Duration timeout;
  private final Duration pollInterval;

  /** Served kind ({@code Kind.group}) -> the CRD written in this apply that serves it. */
  private final Map<String, Written> written = new HashMap<>();

  /** CRD name -> why its custom resources cannot be applied; empty once it is Established. */
  private final Map<String, Optional<String>> verdicts = new HashMap<>();

  private record Written(String name, String apiVersion, boolean applied) {}

  CrdGate(KubeApi api, Duration timeout, Duration pollInterval) {
    this.api = Objects.requireNonNull(api, "api");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
  }

  static boolean isCrd(ObjectKey key) {
    return CRD_KIND.equals(key.kind());
  }

  /** The qualified kind a CRD serves ({@code BackupSchedule.ops.example.com}), if it names one. */
  static Optional<String> servedKind(Map<String, ?> crd) {
    if (Trees.at(crd, "spec", "names", "kind") instanceof String kind
        && Trees.at(crd, "spec", "group") instanceof String group) {
      return Optional.of(kind + "." + group);
    }
    return Optional.empty();
  }

  /** Notes that this apply wrote (or failed to write) a CRD. */
  synchronized void written(DesiredObject crd, boolean applied) {
    servedKind(crd.spec())
        .ifPresent(
            kind ->
                written.put(
                    kind,
                    new Written(
                        crd.key().name(), String.valueOf(crd.spec().get("apiVersion")), applied)));
  }

  /**
   * Why an object cannot be applied yet, or empty when it can: empty at once for every object whose
   * kind no CRD of this apply serves; else after its CRD is Established, waiting for it once.
   */
  synchronized Optional<String> blocker(ObjectKey key) {
    Written crd = written.get(key.kind());
    if (crd == null) {
      return Optional.empty();
    }
    if (!crd.applied()) {
      return Optional.of("its CustomResourceDefinition " + crd.name() + " failed to apply");
    }
    return verdicts.computeIfAbsent(crd.name(), name -> awaitEstablished(crd));
  }

  private Optional<String> awaitEstablished(Written crd) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no Established condition yet";
    while (true) {
      try {
        Optional<Map<String, Object>> live =
            api.get(crd.apiVersion(), "CustomResourceDefinition", "", crd.name());
        if (live.isEmpty()) {
          last = "not found";
        } else if (established(live.get())) {
          return Optional.empty();
        } else {
          last = state(live.get());
        }
      } catch (KubeApiException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() >= deadline || !pause()) {
        return Optional.of(
            "CustomResourceDefinition "
                + crd.name()
                + " is not Established after "
                + timeout.toString().substring(2).toLowerCase(Locale.ROOT)
                + ": "
                + last);
      }
    }
  }

  static boolean established(Map<String, ?> crd) {
    Map<?, ?> condition = condition(crd, "Established");
    return condition != null && "True".equals(condition.get("status"));
  }

  /** What the CRD's conditions say while it is not Established, for the report. */
  private static String state(Map<String, ?> crd) {
    Map<?, ?> names = condition(crd, "NamesAccepted");
    if (names != null && "False".equals(names.get("status"))) {
      return "NamesAccepted is False: " + names.get("message");
    }
    Map<?, ?> established = condition(crd, "Established");
    if (established == null) {
      return "no Established condition yet";
    }
    return "Established is " + established.get("status") + ": " + established.get("message");
  }

  private static Map<?, ?> condition(Map<String, ?> crd, String type) {
    if (Trees.at(crd, "status", "conditions") instanceof List<?> conditions) {
      for (Object item : conditions) {
        if (item instanceof Map<?, ?> condition && type.equals(condition.get("type"))) {
          return condition;
        }
      }
    }
    return null;
  }

  /** Sleeps one poll interval; false when interrupted (the reconcile is being stopped). */
  private boolean pause() {
    try {
      Thread.sleep(pollInterval.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
