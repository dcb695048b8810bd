package io.tidemark.diff;

import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Says, from a live object's labels, annotations and Kubernetes managedFields, which tool owns it
 * now: another Tidemark target, {@code docker stack deploy} (and the tools that deploy through it,
 * SwarmCD among them), Portainer, Helm, or the Kubernetes field managers. Pure.
 */
public final class CurrentOwner {

  /** Portainer's access-control labels, set on what it deploys when access is restricted. */
  private static final String PORTAINER_PREFIX = "io.portainer.accesscontrol.";

  private static final String HELM_RELEASE = "meta.helm.sh/release-name";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private CurrentOwner() {}

  /** A short phrase: {@code docker stack deploy (stack shop)}, {@code Tidemark target other}. */
  public static String of(LiveObject live) {
    Map<String, String> labels = live.labels();
    List<String> owners = new ArrayList<>();
    String target = live.otherTarget();
    if (!target.isEmpty()) {
      owners.add("Tidemark target " + target);
    }
    if (labels.keySet().stream().anyMatch(k -> k.startsWith(PORTAINER_PREFIX))) {
      owners.add("Portainer");
    }
    String stack = labels.get(Labels.STACK_NAMESPACE);
    if (stack != null && target.isEmpty()) {
      owners.add("docker stack deploy (stack " + stack + ")");
    }
    if (Trees.at(live.spec(), "metadata", "annotations", HELM_RELEASE) instanceof String release) {
      owners.add("Helm release " + release);
    } else if (labels.containsKey(MANAGED_BY)) {
      owners.add(labels.get(MANAGED_BY));
    }
    Set<String> managers = managers(live.spec());
    if (!managers.isEmpty()) {
      owners.add("field managers " + String.join(", ", managers));
    }
    return owners.isEmpty() ? "unknown: no owner label" : String.join("; ", owners);
  }

  /** The Kubernetes field managers of an object tree, in the order the server lists them. */
  static Set<String> managers(Map<String, Object> tree) {
    Set<String> out = new LinkedHashSet<>();
    if (Trees.at(tree, "metadata", "managedFields") instanceof List<?> entries) {
      for (Object entry : entries) {
        if (entry instanceof Map<?, ?> m && m.get("manager") != null) {
          out.add(String.valueOf(m.get("manager")));
        }
      }
    }
    return out;
  }
}
