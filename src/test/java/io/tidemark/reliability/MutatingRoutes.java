package io.tidemark.reliability;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Every route of the REST API that changes something (POST, PUT, PATCH, DELETE), found by reading
 * the resource classes, so that a route added later is checked without anyone listing it. The
 * webhook receivers are left out: they authenticate deliveries by signature, not by token.
 */
final class MutatingRoutes {

  /** One route: its HTTP method and its path with every {@code {param}} filled in. */
  record Route(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private MutatingRoutes() {}

  static List<Route> find(String target) {
    List<Route> routes = new ArrayList<>();
    for (JavaClass type :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tidemark.api")) {
      Class<?> resource = type.reflect();
      Path base = resource.getAnnotation(Path.class);
      if (base == null || resource.getPackageName().endsWith(".webhook")) {
        continue;
      }
      for (Method method : resource.getMethods()) {
        String verb = verb(method);
        if (verb == null) {
          continue;
        }
        Path sub = method.getAnnotation(Path.class);
        String path = join(base.value(), sub == null ? "" : sub.value());
        routes.add(new Route(verb, fill(path, target)));
      }
    }
    return routes;
  }

  private static String verb(Method method) {
    if (method.isAnnotationPresent(POST.class)) {
      return "POST";
    }
    if (method.isAnnotationPresent(PUT.class)) {
      return "PUT";
    }
    if (method.isAnnotationPresent(PATCH.class)) {
      return "PATCH";
    }
    return method.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
  }

  private static String join(String base, String sub) {
    String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** {@code {name}} becomes the target; any other parameter a harmless word. */
  private static String fill(String path, String target) {
    return path.replaceAll("\\{name(:[^}]*)?}", target).replaceAll("\\{[^}]+}", "x");
  }
}
