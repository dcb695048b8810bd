package io.tidemark.sample;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.desired.sops.SopsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every manifest document below a folder (every {@code .yaml}, {@code .yml} and {@code .json} file,
 * in path order), SOPS files decrypted in memory with the demo key as Tidemark decrypts them, each
 * deserialized by fabric8 into its typed class.
 */
final class ManifestFolder {

  /** One document of one file. */
  record Manifest(Path file, int index, HasMetadata object) {

    /** Where the document is and what it is, for assertion messages. */
    String where() {
      return file.getFileName()
          + "#"
          + index
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

  static ManifestFolder read(Path dir) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    SopsDecryptor sops = DemoKey.decryptor();
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : files(dir)) {
      Object parsed;
      try {
        byte[] plain = sops.plain(file.toString(), Files.readAllBytes(file)).content();
        parsed = serialization.unmarshal(new String(plain, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (SopsException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
      // A file with several documents comes back as a list of them, a single one as itself.
      List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
      for (int i = 0; i < documents.size(); i++) {
        if (!(documents.get(i) instanceof HasMetadata object)) {
          throw new IllegalStateException(file + "#" + i + " is not a Kubernetes object");
        }
        manifests.add(new Manifest(file, i, object));
      }
    }
    return new ManifestFolder(List.copyOf(manifests));
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches(".*\\.(ya?ml|json)"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Manifest> all() {
    return manifests;
  }

  /** The objects of one typed class, in file order. */
  <T extends HasMetadata> List<T> of(Class<T> type) {
    return manifests.stream()
        .map(Manifest::object)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
