package io.tidemark.diff;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import java.util.List;

/**
 * Compares one desired object with its live counterpart; each target knows its own server defaults.
 */
@FunctionalInterface
public interface Differ {

  /** The fields that differ, unmasked; empty when the live object is as Git wants it. */
  List<FieldDiff> compare(DesiredObject desired, LiveObject live);
}
