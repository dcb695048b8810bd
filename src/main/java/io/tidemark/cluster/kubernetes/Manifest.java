package io.tidemark.cluster.kubernetes;

import io.tidemark.model.SourceLocation;
import io.tidemark.model.Trees;
import java.util.Map;
import java.util.Objects;

/** One YAML or JSON document of a revision, as parsed, with the file and line it starts at. */
record Manifest(Map<String, Object> tree, SourceLocation source) {

  Manifest {
    tree = Trees.freeze(Objects.requireNonNull(tree, "tree"));
    Objects.requireNonNull(source, "source");
  }
}
