package io.tidemark.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every object one revision wants for one target, keyed and unique, and the repository files
 * outside the target's folder that the render read ({@code env_file}, {@code file:} of configs and
 * secrets), so that a push is known to concern the target when one of them changes; and notes the
 * render makes for the report (e.g. which Helm hooks go where).
 */
public record DesiredState(
    Map<ObjectKey, DesiredObject> objects, Set<String> inputs, List<String> notes) {

  public DesiredState {
    objects = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(objects));
    inputs = Set.copyOf(inputs);
    notes = List.copyOf(notes);
  }

  public DesiredState(Map<ObjectKey, DesiredObject> objects, Set<String> inputs) {
    this(objects, inputs, List.of());
  }

  public DesiredState(Map<ObjectKey, DesiredObject> objects) {
    this(objects, Set.of());
  }

  /** This state, depending also on the files {@code read} (repository paths). */
  public DesiredState withInputs(Set<String> read) {
    return new DesiredState(objects, read, notes);
  }

  /** Builds a state from objects whose keys the caller has already checked to be unique. */
  public static DesiredState of(Collection<DesiredObject> objects) {
    Map<ObjectKey, DesiredObject> byKey = new LinkedHashMap<>();
    for (DesiredObject o : objects) {
      if (byKey.putIfAbsent(o.key(), o) != null) {
        throw new IllegalArgumentException("duplicate desired object " + o.key());
      }
    }
    return new DesiredState(byKey);
  }

  public List<DesiredObject> list() {
    return new ArrayList<>(objects.values());
  }
}
