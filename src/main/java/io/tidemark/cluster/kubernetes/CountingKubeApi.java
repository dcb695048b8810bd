package io.tidemark.cluster.kubernetes;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link KubeApi} that counts the calls it passes on, one per API request, by verb. Discovery
 * answers ({@link #preferredVersion}) are kept once known, as the fabric8 adapter keeps them, so
 * that a steady reconcile sends no discovery request and the count says so for any adapter.
 */
final class CountingKubeApi implements KubeApi {

  private final KubeApi delegate;
  private final AtomicLongArray counts = new AtomicLongArray(ApiVerb.values().length);
  private final Map<String, String> versions = new ConcurrentHashMap<>();

  CountingKubeApi(KubeApi delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The calls passed on since the last {@link #reset}, by verb. */
  ApiRequests requests() {
    Map<ApiVerb, Long> byVerb = new EnumMap<>(ApiVerb.class);
    for (ApiVerb verb : ApiVerb.values()) {
      byVerb.put(verb, counts.get(verb.ordinal()));
    }
    return new ApiRequests(byVerb);
  }

  void reset() {
    for (int i = 0; i < counts.length(); i++) {
      counts.set(i, 0);
    }
  }

  private void count(ApiVerb verb) {
    counts.incrementAndGet(verb.ordinal());
  }

  @Override
  public Map<String, Object> apply(Map<String, ?> object, boolean force) throws KubeApiException {
    count(ApiVerb.APPLY);
    return delegate.apply(object, force);
  }

  @Override
  public DryRunResult dryRunApply(Map<String, ?> object) throws KubeApiException {
    count(ApiVerb.DRY_RUN);
    return delegate.dryRunApply(object);
  }

  @Override
  public Optional<String> preferredVersion(String group) throws KubeApiException {
    String known = versions.get(group);
    if (known != null) {
      return Optional.of(known);
    }
    count(ApiVerb.DISCOVERY);
    // Only a served group is kept: one not served yet may be served once its CRD is Established.
    Optional<String> version = delegate.preferredVersion(group);
    version.ifPresent(v -> versions.put(group, v));
    return version;
  }

  @Override
  public String serverVersion() throws KubeApiException {
    count(ApiVerb.DISCOVERY);
    return delegate.serverVersion();
  }

  @Override
  public List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector)
      throws KubeApiException {
    count(ApiVerb.LIST);
    return delegate.list(apiVersion, kind, labelSelector);
  }

  @Override
  public Optional<Map<String, Object>> get(
      String apiVersion, String kind, String namespace, String name) throws KubeApiException {
    count(ApiVerb.GET);
    return delegate.get(apiVersion, kind, namespace, name);
  }

  @Override
  public boolean delete(String apiVersion, String kind, String namespace, String name)
      throws KubeApiException {
    count(ApiVerb.DELETE);
    return delegate.delete(apiVersion, kind, namespace, name);
  }

  @Override
  public Map<String, Object> jsonPatch(
      String apiVersion, String kind, String namespace, String name, List<Map<String, ?>> ops)
      throws KubeApiException {
    count(ApiVerb.PATCH);
    return delegate.jsonPatch(apiVersion, kind, namespace, name, ops);
  }
}
