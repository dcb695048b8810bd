package io.tidemark.cluster.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.model.Labels;
import io.tidemark.model.Trees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the recorded kube-apiserver responses under {@code fixtures/kubernetes/}, as recorded. */
final class Fixtures {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOT = "/fixtures/kubernetes/";

  private Fixtures() {}

  /** A recorded JSON body as a tree, key order kept. */
  static Map<String, Object> json(String caseName, String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream(ROOT + caseName + "/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + caseName + "/" + file);
      }
      return JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A recorded object as it is once target {@code target} owns it: with the ownership label, and no
   * other change.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> owned(Map<String, Object> recorded, String target) {
    Map<String, Object> tree = Trees.mutableCopy(recorded);
    Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
    Object labels = metadata.get("labels");
    Map<String, Object> copy =
        labels instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    copy.put(Labels.TARGET, target);
    metadata.put("labels", copy);
    return tree;
  }

  /** The raw bytes of a fixture file (e.g. a desired manifest, as sent to the server). */
  static String text(String caseName, String file) {
    try {
      return Files.readString(folder().resolve(caseName).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder holding all cases, on disk. */
  static Path folder() {
    try {
      return Path.of(Fixtures.class.getResource(ROOT).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of all recorded cases. */
  static List<String> cases() {
    try (Stream<Path> children = Files.list(folder())) {
      return children
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
