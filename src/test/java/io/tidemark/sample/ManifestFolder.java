package io.tidemark.sample;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.Labels;
import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every object a manifest folder loads to through Tidemark's own Kubernetes loader (SOPS files
 * decrypted with the demo key, {@code HelmRelease}s rendered by Helm, in the loader's order), each
 * deserialized by fabric8 into its typed class, without the ownership label and commit annotation
 * the loader adds. Namespaced objects that name no namespace land in {@code no-namespace-given}.
 */
final class ManifestFolder {

  /** One loaded object and where it comes from (a manifest's or a release's file:line). */
  record Manifest(SourceLocation source, HasMetadata object) {

    /** Where the object is declared and what it is, for assertion messages. */
    String where() {
      return source
          + " "
          + object.getKind()
          + "/"
          + (object.getMetadata().getNamespace() == null
              ? ""
              : object.getMetadata().getNamespace() + "/")
          + object.getMetadata().getName();
    }
  }

  private final List<Manifest> manifests;

  private ManifestFolder(List<Manifest> manifests) {
    this.manifests = manifests;
  }

  /** The objects of the folder {@code dir}, loaded as a target's folder whose repository it is. */
  static ManifestFolder read(Path dir) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<Manifest> manifests = new ArrayList<>();
    for (DesiredObject desired : SampleKubernetes.load(dir, ".", "manifest-folder").list()) {
      Map<String, Object> tree = Trees.mutableCopy(desired.spec());
      withoutOwnership(tree);
      Object object = serialization.unmarshal(serialization.asJson(tree));
      if (!(object instanceof HasMetadata typed)) {
        throw new IllegalStateException(desired.source() + " is not a Kubernetes object");
      }
      manifests.add(new Manifest(desired.source(), typed));
    }
    return new ManifestFolder(List.copyOf(manifests));
  }

  /** Removes what the loader adds to every object, so that checks see the object as written. */
  @SuppressWarnings("unchecked")
  private static void withoutOwnership(Map<String, Object> tree) {
    Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
    for (String[] added :
        List.of(
            new String[] {"labels", Labels.TARGET}, new String[] {"annotations", Labels.COMMIT})) {
      if (metadata.get(added[0]) instanceof Map<?, ?> map) {
        map.remove(added[1]);
        if (map.isEmpty()) {
          metadata.remove(added[0]);
        }
      }
    }
  }

  List<Manifest> all() {
    return manifests;
  }

  /** The objects of one typed class, in load order. */
  <T extends HasMetadata> List<T> of(Class<T> type) {
    return manifests.stream()
        .map(Manifest::object)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
