package io.tidemark.cluster.kubernetes;

import io.tidemark.model.Trees;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A {@link KubeApi} that makes each call again under a {@link RetryPolicy} when the server
 * throttles (429), fails (5xx) or does not answer in time; an apply refused with 409 (the object
 * changed under it) is made once more after the object is read again. Every other answer is final,
 * and the caller turns the last failure into a failed entry.
 */
public final class RetryingKubeApi implements KubeApi {

  private static final Logger LOG = Logger.getLogger(RetryingKubeApi.class);

  private final KubeApi delegate;
  private final RetryPolicy policy;

  public RetryingKubeApi(KubeApi delegate, RetryPolicy policy) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public Map<String, Object> apply(Map<String, ?> object, boolean force) throws KubeApiException {
    try {
      return policy.call(() -> delegate.apply(object, force));
    } catch (KubeApiException e) {
      if (!e.status().map(ApiStatus::conflict).orElse(false)) {
        throw e;
      }
      // A 409 means the object moved between our read and our write (a concurrent create or
      // update): read it again, then apply once more; a second conflict is final.
      LOG.debugf("%s conflicted; reading it again before one more apply", describe(object));
      policy.call(
          () ->
              delegate.get(
                  String.valueOf(object.get("apiVersion")),
                  String.valueOf(object.get("kind")),
                  namespace(object),
                  String.valueOf(Trees.at(object, "metadata", "name"))));
      return policy.call(() -> delegate.apply(object, force));
    }
  }

  @Override
  public DryRunResult dryRunApply(Map<String, ?> object) throws KubeApiException {
    return policy.call(() -> delegate.dryRunApply(object));
  }

  @Override
  public Optional<String> preferredVersion(String group) throws KubeApiException {
    return policy.call(() -> delegate.preferredVersion(group));
  }

  @Override
  public String serverVersion() throws KubeApiException {
    return policy.call(delegate::serverVersion);
  }

  @Override
  public List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector)
      throws KubeApiException {
    return policy.call(() -> delegate.list(apiVersion, kind, labelSelector));
  }

  @Override
  public Optional<Map<String, Object>> get(
      String apiVersion, String kind, String namespace, String name) throws KubeApiException {
    return policy.call(() -> delegate.get(apiVersion, kind, namespace, name));
  }

  @Override
  public boolean delete(String apiVersion, String kind, String namespace, String name)
      throws KubeApiException {
    return policy.call(() -> delegate.delete(apiVersion, kind, namespace, name));
  }

  private static String namespace(Map<String, ?> object) {
    Object namespace = Trees.at(object, "metadata", "namespace");
    return namespace == null ? "" : namespace.toString();
  }

  private static String describe(Map<String, ?> object) {
    String namespace = namespace(object);
    return object.get("kind")
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + Trees.at(object, "metadata", "name");
  }

  @Override
  public Map<String, Object> jsonPatch(
      String apiVersion, String kind, String namespace, String name, List<Map<String, ?>> ops)
      throws KubeApiException {
    // Safe to repeat: a patch that already happened fails its resourceVersion test (422), final.
    return policy.call(() -> delegate.jsonPatch(apiVersion, kind, namespace, name, ops));
  }
}
