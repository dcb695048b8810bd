package io.tidemark.cluster.kubernetes;

import io.tidemark.diff.FieldPaths;
import io.tidemark.diff.IgnoredFields;
import io.tidemark.diff.TreeDiff;
import io.tidemark.model.Change;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Leaves ignored fields out of a server-side apply, so that the server keeps what their owner (an
 * autoscaler, a controller, a person) set. A field whose live value is still Git's is kept in the
 * request: left out, it would be released by Tidemark, and a field nobody else owns is removed
 * (reset to its default) by the server.
 */
final class IgnoredApply {

  private IgnoredApply() {}

  static DesiredObject without(Change change) {
    List<String> paths = change.ignoredPaths();
    if (paths.isEmpty() || change.live() == null) {
      return change.desired();
    }
    Map<String, Object> spec = Trees.mutableCopy(change.desired().spec());
    List<String> dropped = new ArrayList<>();
    for (String path : paths) {
      List<String> steps = FieldPaths.parse(path);
      Object desired = IgnoredFields.resolve(spec, steps);
      Object live = IgnoredFields.resolve(change.live().spec(), steps);
      if (!TreeDiff.same(desired, live)) {
        dropped.add(path);
      }
    }
    if (dropped.isEmpty()) {
      return change.desired();
    }
    IgnoredFields.drop(spec, dropped);
    DesiredObject d = change.desired();
    return new DesiredObject(d.key(), spec, d.source(), d.secret());
  }
}
