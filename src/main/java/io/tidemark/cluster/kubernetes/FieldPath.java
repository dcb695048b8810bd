package io.tidemark.cluster.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A location in a Kubernetes object, rendered for people as {@code
 * spec.template.spec.containers[name=web].image}: map keys joined by dots (quoted as {@code
 * ["deployment.kubernetes.io/revision"]} when they hold other characters), list items by their
 * merge key ({@code [name=web]}, {@code [containerPort=80]}) and by index only in unkeyed lists.
 */
record FieldPath(List<Step> steps) {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

  FieldPath {
    steps = List.copyOf(steps);
  }

  static FieldPath root() {
    return new FieldPath(List.of());
  }

  /** One step down a tree. */
  sealed interface Step permits Field, Item, Index {}

  /** A map key. */
  record Field(String name) implements Step {}

  /**
   * A list item identified by a merge key; {@code element} is the item itself (live when it
   * exists), which managedFields' {@code k:{...}} entries are matched against.
   */
  record Item(String keyField, Object keyValue, Map<?, ?> element) implements Step {}

  /** A list item of an unkeyed list, with its value for managedFields' {@code v:...} entries. */
  record Index(int index, Object value) implements Step {}

  FieldPath field(String name) {
    return with(new Field(name));
  }

  FieldPath item(String keyField, Object keyValue, Map<?, ?> element) {
    return with(new Item(keyField, keyValue, element));
  }

  FieldPath index(int index, Object value) {
    return with(new Index(index, value));
  }

  /** Whether this path starts with the given map key. */
  boolean startsWith(String field) {
    return !steps.isEmpty() && steps.get(0) instanceof Field f && f.name().equals(field);
  }

  private FieldPath with(Step step) {
    List<Step> longer = new ArrayList<>(steps);
    longer.add(step);
    return new FieldPath(longer);
  }

  @Override
  public String toString() {
    if (steps.isEmpty()) {
      return ".";
    }
    StringBuilder out = new StringBuilder();
    for (Step step : steps) {
      if (step instanceof Field f && PLAIN.matcher(f.name()).matches()) {
        out.append(out.isEmpty() ? "" : ".").append(f.name());
      } else if (step instanceof Field f) {
        out.append("[\"").append(f.name()).append("\"]");
      } else if (step instanceof Item i) {
        out.append('[').append(i.keyField()).append('=').append(i.keyValue()).append(']');
      } else if (step instanceof Index i) {
        out.append('[').append(i.index()).append(']');
      }
    }
    return out.toString();
  }
}
