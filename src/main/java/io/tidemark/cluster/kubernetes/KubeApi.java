package io.tidemark.cluster.kubernetes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few Kubernetes API calls Tidemark makes, on plain object trees: server-side apply as field
 * manager {@value #FIELD_MANAGER}, its dry run, list by label, get and delete. Everything above
 * this port is tested without a cluster; its fabric8 implementation is kept thin. Every tree it
 * returns is the caller's own: no other holder reads or changes it.
 */
public interface KubeApi {

  /** The field manager of every apply Tidemark makes. */
  String FIELD_MANAGER = "tidemark";

  /**
   * Server-side applies {@code object}; with {@code force}, takes over fields other managers own.
   *
   * @return the object as stored
   * @throws KubeApiException with the server's status when it refuses (e.g. 422 immutable field)
   */
  Map<String, Object> apply(Map<String, ?> object, boolean force) throws KubeApiException;

  /**
   * A forced server-side apply of {@code object} with {@code dryRun=All}: what the server would
   * store, or its refusal. Nothing is written.
   *
   * @throws KubeApiException when the server cannot be asked (unreachable, 5xx)
   */
  DryRunResult dryRunApply(Map<String, ?> object) throws KubeApiException;

  /**
   * The apiVersion the server prefers for an API group ({@code v1} for the core group, whose name
   * is empty), so that kinds known only by {@code Kind.group} can be listed.
   *
   * @return empty when the server does not serve the group (e.g. its CRD is gone)
   */
  Optional<String> preferredVersion(String group) throws KubeApiException;

  /**
   * The Kubernetes version the server reports ({@code /version}'s gitVersion, e.g. {@code
   * v1.32.12}), as charts see it in {@code .Capabilities.KubeVersion}.
   *
   * @return empty when this API cannot tell (charts then see Helm's default)
   */
  default String serverVersion() throws KubeApiException {
    return "";
  }

  /** Every object of a kind, in all namespaces, that matches a label selector. */
  List<Map<String, Object>> list(String apiVersion, String kind, String labelSelector)
      throws KubeApiException;

  /**
   * One object.
   *
   * @param namespace empty for cluster-scoped kinds
   */
  Optional<Map<String, Object>> get(String apiVersion, String kind, String namespace, String name)
      throws KubeApiException;

  /**
   * Applies an RFC 6902 JSON patch to one object (Tidemark patches only {@code
   * metadata.managedFields} and annotations with it, to take over fields before an apply).
   *
   * @return the object as stored
   * @throws KubeApiException with the server's status when it refuses (a failed {@code test}: 422)
   */
  Map<String, Object> jsonPatch(
      String apiVersion, String kind, String namespace, String name, List<Map<String, ?>> ops)
      throws KubeApiException;

  /**
   * Deletes one object (dependents in the background).
   *
   * @return false when it was already gone
   */
  boolean delete(String apiVersion, String kind, String namespace, String name)
      throws KubeApiException;
}
