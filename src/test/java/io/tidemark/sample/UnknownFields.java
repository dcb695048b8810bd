package io.tidemark.sample;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields that fabric8 could not map onto its model (a typo such as {@code readinesProbe}
 * lands in an {@code additionalProperties} map instead of failing), by walking the typed object.
 */
final class UnknownFields {

  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  /** Every unknown field below {@code root}, as {@code path.field}. */
  static List<String> in(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, root.getClass().getSimpleName(), found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null || value instanceof GenericKubernetesResource) {
      return; // custom resources keep all their fields as additional properties by design
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found));
      return;
    }
    if (!value.getClass().getName().startsWith(MODEL)) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (!isGetter(getter)) {
        continue;
      }
      Object child = invoke(getter, value);
      String name = getter.getName().substring(3);
      if (name.equals("AdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> found.add(path + "." + k));
        }
      } else {
        walk(child, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), found);
      }
    }
  }

  private static boolean isGetter(Method method) {
    return method.getName().startsWith("get")
        && method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && method.getDeclaringClass().getName().startsWith(MODEL);
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter + " on " + target.getClass(), e);
    }
  }
}
