package io.tidemark.cluster.kubernetes;

import io.tidemark.model.Trees;
import java.util.Locale;
import java.util.Map;

/**
 * Where a Helm hook object (annotation {@code helm.sh/hook}) goes in an apply: {@code pre-install}
 * and {@code pre-upgrade} hooks before the release's other objects, {@code post-*} after them, as
 * Argo CD maps them to PreSync and PostSync; test hooks and hooks only for delete or rollback are
 * skipped (Tidemark never runs {@code helm test}, deletes by pruning and never rolls back).
 */
enum HookPhase {
  PRE,
  MAIN,
  POST,
  TEST,
  UNSUPPORTED;

  static final String ANNOTATION = "helm.sh/hook";

  /** The phase of an object: {@link #MAIN} for an object without a hook annotation. */
  static HookPhase of(Map<String, Object> tree) {
    if (!(Trees.at(tree, "metadata", "annotations", ANNOTATION) instanceof String hook)) {
      return MAIN;
    }
    boolean pre = false;
    boolean post = false;
    for (String part : hook.toLowerCase(Locale.ROOT).split(",")) {
      String name = part.strip();
      if (name.startsWith("test")) {
        return TEST;
      }
      pre |= name.equals("pre-install") || name.equals("pre-upgrade");
      post |= name.equals("post-install") || name.equals("post-upgrade");
    }
    return pre ? PRE : post ? POST : UNSUPPORTED;
  }

  /** The value of the hook annotation, for notes. */
  static String hook(Map<String, Object> tree) {
    return String.valueOf(Trees.at(tree, "metadata", "annotations", ANNOTATION));
  }
}
