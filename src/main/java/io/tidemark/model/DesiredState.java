package io.tidemark.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every object one revision wants for one target, keyed and unique. */
public record DesiredState(Map<ObjectKey, DesiredObject> objects) {

  public DesiredState {
    objects = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(objects));
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
