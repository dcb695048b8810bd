package io.tidemark.model;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;

/** Helpers for the JSON-like trees (maps, lists, scalars) that specs are made of. */
public final class Trees {

  private Trees() {}

  /**
   * A deep, unmodifiable copy that keeps key order; a tree this class froze before is returned as
   * it is, since nothing can change it.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> freeze(Map<String, ?> tree) {
    return (Map<String, Object>) freezeValue(tree);
  }

  /**
   * Freezes a tree that nobody else holds (one just parsed from a server's answer) in place: its
   * maps and lists are wrapped, not copied. Maps and lists of other kinds than the parser makes
   * ({@link LinkedHashMap}, {@link ArrayList}) are copied as {@link #freeze} does.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> freezeFresh(Map<String, ?> tree) {
    return (Map<String, Object>) freezeFreshValue(tree);
  }

  /** A deep, modifiable copy that keeps key order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> mutableCopy(Map<String, ?> tree) {
    return (Map<String, Object>) copyValue(tree);
  }

  private static Object freezeValue(Object value) {
    if (value instanceof FrozenMap || value instanceof FrozenList) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>(capacity(map.size()));
      map.forEach((k, v) -> copy.put(String.valueOf(k), freezeValue(v)));
      return new FrozenMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(freezeValue(v)));
      return new FrozenList(copy);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Object freezeFreshValue(Object value) {
    if (value instanceof LinkedHashMap<?, ?> map) {
      boolean[] otherKeys = {false};
      ((Map<Object, Object>) map)
          .replaceAll(
              (k, v) -> {
                otherKeys[0] |= !(k instanceof String);
                return freezeFreshValue(v);
              });
      // Keys other than text (never from a JSON parser) are turned into text by a copy.
      return otherKeys[0] ? freezeValue(map) : new FrozenMap((Map<String, Object>) map);
    }
    if (value instanceof ArrayList<?> list) {
      List<Object> items = (List<Object>) list;
      items.replaceAll(Trees::freezeFreshValue);
      return new FrozenList(items);
    }
    return freezeValue(value);
  }

  private static int capacity(int size) {
    return size < 3 ? size + 1 : (int) (size / 0.75f) + 1;
  }

  /**
   * A map {@link #freeze} made: unmodifiable, and so are all the maps and lists in it, so it is
   * never copied again. Reads go to the unmodifiable view of its entries.
   */
  private static final class FrozenMap extends AbstractMap<String, Object> {
    private final Map<String, Object> view;

    FrozenMap(Map<String, Object> entries) {
      this.view = Collections.unmodifiableMap(entries);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return view.entrySet();
    }

    @Override
    public Object get(Object key) {
      return view.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return view.containsKey(key);
    }

    @Override
    public int size() {
      return view.size();
    }

    @Override
    public Set<String> keySet() {
      return view.keySet();
    }

    @Override
    public Collection<Object> values() {
      return view.values();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
      view.forEach(action);
    }

    @Override
    public boolean equals(Object other) {
      return other == this || view.equals(other);
    }

    @Override
    public int hashCode() {
      return view.hashCode();
    }
  }

  /** A list {@link #freeze} made: unmodifiable all the way down, never copied again. */
  private static final class FrozenList extends AbstractList<Object> implements RandomAccess {
    private final List<Object> items;

    FrozenList(List<Object> items) {
      this.items = items;
    }

    @Override
    public Object get(int index) {
      return items.get(index);
    }

    @Override
    public int size() {
      return items.size();
    }
  }

  /** A deep, modifiable copy of any tree value. */
  public static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), copyValue(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(copyValue(v)));
      return copy;
    }
    return value;
  }

  /** The value at a dotted path of map keys, or null. */
  public static Object at(Map<String, ?> tree, String... path) {
    Object current = tree;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }
}
