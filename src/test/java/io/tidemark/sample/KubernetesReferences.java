package io.tidemark.sample;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds references inside a manifest folder that point at nothing: ConfigMap and Secret keys used
 * by env vars and volumes, the Services and ports that Ingress rules name.
 */
final class KubernetesReferences {

  private final ManifestFolder folder;
  private final List<String> problems = new ArrayList<>();

  private KubernetesReferences(ManifestFolder folder) {
    this.folder = folder;
  }

  /** Every dangling reference of the folder. */
  static List<String> dangling(ManifestFolder folder) {
    KubernetesReferences refs = new KubernetesReferences(folder);
    for (Workload w : Workload.in(KubernetesChecks.objects(folder))) {
      List<Container> containers = new ArrayList<>(w.pod().getContainers());
      containers.addAll(w.pod().getInitContainers());
      for (Container c : containers) {
        for (EnvVar env : c.getEnv()) {
          refs.env(w, env);
        }
      }
      for (Volume v : w.pod().getVolumes()) {
        refs.volume(w, v);
      }
    }
    for (Ingress ingress : folder.of(Ingress.class)) {
      refs.ingress(ingress);
    }
    return refs.problems;
  }

  private void env(Workload w, EnvVar env) {
    if (env.getValueFrom() == null) {
      return;
    }
    var secret = env.getValueFrom().getSecretKeyRef();
    if (secret != null && !Boolean.TRUE.equals(secret.getOptional())) {
      requireKey(w, "Secret", secret.getName(), secret.getKey());
    }
    var config = env.getValueFrom().getConfigMapKeyRef();
    if (config != null && !Boolean.TRUE.equals(config.getOptional())) {
      requireKey(w, "ConfigMap", config.getName(), config.getKey());
    }
  }

  private void volume(Workload w, Volume v) {
    if (v.getConfigMap() != null && !Boolean.TRUE.equals(v.getConfigMap().getOptional())) {
      requireItems(w, "ConfigMap", v.getConfigMap().getName(), v.getConfigMap().getItems());
    }
    if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
      requireItems(w, "Secret", v.getSecret().getSecretName(), v.getSecret().getItems());
    }
    if (v.getProjected() != null) {
      for (VolumeProjection p : v.getProjected().getSources()) {
        if (p.getConfigMap() != null) {
          requireItems(w, "ConfigMap", p.getConfigMap().getName(), p.getConfigMap().getItems());
        }
        if (p.getSecret() != null) {
          requireItems(w, "Secret", p.getSecret().getName(), p.getSecret().getItems());
        }
      }
    }
  }

  private void ingress(Ingress ingress) {
    String namespace = ingress.getMetadata().getNamespace();
    List<IngressBackend> backends = new ArrayList<>();
    ingress.getSpec().getRules().stream()
        .filter(r -> r.getHttp() != null)
        .flatMap(r -> r.getHttp().getPaths().stream())
        .forEach(p -> backends.add(p.getBackend()));
    for (IngressBackend backend : backends) {
      String name = backend.getService().getName();
      var port = backend.getService().getPort();
      boolean found =
          folder.of(Service.class).stream()
              .filter(s -> s.getMetadata().getNamespace().equals(namespace))
              .filter(s -> s.getMetadata().getName().equals(name))
              .flatMap(s -> s.getSpec().getPorts().stream())
              .anyMatch(
                  (ServicePort sp) ->
                      port.getName() != null
                          ? port.getName().equals(sp.getName())
                          : port.getNumber().equals(sp.getPort()));
      if (!found) {
        problems.add("Ingress/" + ingress.getMetadata().getName() + ": no Service " + name + port);
      }
    }
  }

  private void requireItems(Workload w, String kind, String name, List<KeyToPath> items) {
    if (find(w, kind, name) == null) {
      problems.add(w.name() + ": " + kind + " " + name + " does not exist");
      return;
    }
    for (KeyToPath item : items) {
      requireKey(w, kind, name, item.getKey());
    }
  }

  private void requireKey(Workload w, String kind, String name, String key) {
    HasMetadata target = find(w, kind, name);
    if (target == null) {
      problems.add(w.name() + ": " + kind + " " + name + " does not exist");
    } else if (!keys(target).contains(key)) {
      problems.add(w.name() + ": " + kind + " " + name + " has no key " + key);
    }
  }

  private HasMetadata find(Workload w, String kind, String name) {
    return folder.all().stream()
        .map(ManifestFolder.Manifest::object)
        .filter(o -> o.getKind().equals(kind))
        .filter(o -> o.getMetadata().getName().equals(name))
        .filter(o -> w.namespace().equals(o.getMetadata().getNamespace()))
        .findFirst()
        .orElse(null);
  }

  private static Set<String> keys(HasMetadata o) {
    Set<String> keys = new HashSet<>();
    if (o instanceof Secret s) {
      if (s.getData() != null) {
        keys.addAll(s.getData().keySet());
      }
      if (s.getStringData() != null) {
        keys.addAll(s.getStringData().keySet());
      }
    } else if (o instanceof ConfigMap c && c.getData() != null) {
      keys.addAll(c.getData().keySet());
    }
    return keys;
  }
}
