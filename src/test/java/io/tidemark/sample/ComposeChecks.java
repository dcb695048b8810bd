package io.tidemark.sample;

import io.tidemark.sample.ComposeFolder.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules every Swarm stack folder of this project keeps (the sample platform and Tidemark's own
 * stack); each returns the violations it finds, one readable line each, so a test can assert that
 * the list is empty and show all of them at once.
 */
final class ComposeChecks {

  private static final Pattern VARIABLE = ComposeFolder.VARIABLE;
  private static final String EXEMPT = "x-healthcheck-exempt";

  private ComposeChecks() {}

  /** Services without an image, without limits and reservations, or without a health check. */
  static List<String> incompleteServices(ComposeFolder folder) {
    List<String> problems = new ArrayList<>();
    for (Service service : folder.services().values()) {
      Map<String, Object> spec = service.spec();
      String name = service.name();
      if (Maps.string(spec, "image") == null || Maps.string(spec, "image").isBlank()) {
        problems.add(name + ": no image");
      }
      for (String kind : List.of("limits", "reservations")) {
        Map<String, Object> resources = Maps.map(spec, "deploy", "resources", kind);
        if (resources.get("cpus") == null || resources.get("memory") == null) {
          problems.add(name + ": deploy.resources." + kind + " needs cpus and memory");
        }
      }
      boolean checked = !Maps.list(spec, "healthcheck", "test").isEmpty();
      boolean disabled = Boolean.TRUE.equals(Maps.get(spec, "healthcheck", "disable"));
      String exempt = Maps.string(spec, EXEMPT);
      if ((!checked || disabled) && (exempt == null || exempt.isBlank())) {
        problems.add(name + ": no healthcheck and no " + EXEMPT + " reason");
      }
      if (checked && exempt != null) {
        problems.add(name + ": has a healthcheck and claims " + EXEMPT);
      }
    }
    return problems;
  }

  /** Networks, volumes, secrets and configs that services name but no file defines. */
  static List<String> unresolvedReferences(ComposeFolder folder) {
    List<String> problems = new ArrayList<>();
    Set<String> networks = folder.definitions("networks").keySet();
    Set<String> volumes = folder.definitions("volumes").keySet();
    Set<String> secrets = folder.definitions("secrets").keySet();
    Set<String> configs = folder.definitions("configs").keySet();
    for (Service service : folder.services().values()) {
      for (String network : networksOf(service.spec())) {
        if (!networks.contains(network)) {
          problems.add(service.name() + ": network " + network + " is not defined");
        }
      }
      for (String source : sources(service.spec(), "secrets")) {
        if (!secrets.contains(source)) {
          problems.add(service.name() + ": secret " + source + " is not defined");
        }
      }
      for (String source : sources(service.spec(), "configs")) {
        if (!configs.contains(source)) {
          problems.add(service.name() + ": config " + source + " is not defined");
        }
      }
      for (String volume : namedVolumes(service.spec())) {
        if (!volumes.contains(volume)) {
          problems.add(service.name() + ": volume " + volume + " is not defined");
        }
      }
    }
    for (String section : List.of("secrets", "configs")) {
      folder
          .definitions(section)
          .forEach(
              (name, spec) -> {
                String file = Maps.string(spec, "file");
                if (file == null
                    || !Files.isRegularFile(
                        folder.dir().resolve(folder.interpolate(file)).normalize())) {
                  problems.add(section + " " + name + ": file " + file + " does not exist");
                }
              });
    }
    return problems;
  }

  /** {@code ${VAR}} uses without a default, so that the stack depends on an env file. */
  static List<String> variablesWithoutDefault(ComposeFolder folder) {
    List<String> problems = new ArrayList<>();
    for (ComposeFolder.ComposeFile file : folder.files()) {
      Matcher matcher = VARIABLE.matcher(read(file.path()));
      while (matcher.find()) {
        if (!matcher.group(2).startsWith(":-")) {
          problems.add(file.path().getFileName() + ": ${" + matcher.group(1) + "} has no default");
        }
      }
    }
    return problems;
  }

  /** The names of the variables the folder's files use. */
  static Set<String> usedVariables(ComposeFolder folder) {
    Set<String> used = new java.util.TreeSet<>();
    for (ComposeFolder.ComposeFile file : folder.files()) {
      Matcher matcher = VARIABLE.matcher(read(file.path()));
      while (matcher.find()) {
        used.add(matcher.group(1));
      }
    }
    return used;
  }

  /** The source names of a service's secrets or configs, short or long syntax. */
  static List<String> sources(Map<String, Object> service, String section) {
    List<String> names = new ArrayList<>();
    for (Object entry : Maps.list(service, section)) {
      if (entry instanceof Map<?, ?> m) {
        names.add(String.valueOf(m.get("source")));
      } else {
        names.add(String.valueOf(entry));
      }
    }
    return names;
  }

  /** The named volumes (not bind mounts) a service mounts, short or long syntax. */
  static List<String> namedVolumes(Map<String, Object> service) {
    List<String> names = new ArrayList<>();
    for (Object entry : Maps.list(service, "volumes")) {
      if (entry instanceof Map<?, ?> m) {
        if ("volume".equals(m.get("type")) && m.get("source") != null) {
          names.add(String.valueOf(m.get("source")));
        }
      } else {
        String source = String.valueOf(entry).split(":")[0];
        if (!source.startsWith("/") && !source.startsWith(".") && !source.startsWith("~")) {
          names.add(source);
        }
      }
    }
    return names;
  }

  /** The names of the networks a service joins, list or map syntax. */
  static Set<String> networksOf(Map<String, Object> service) {
    Object attached = service.get("networks");
    Set<String> names = new java.util.TreeSet<>();
    if (attached instanceof Map<?, ?> m) {
      m.keySet().forEach(k -> names.add(String.valueOf(k)));
    } else {
      Maps.list(service, "networks").forEach(n -> names.add(String.valueOf(n)));
    }
    return names;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
