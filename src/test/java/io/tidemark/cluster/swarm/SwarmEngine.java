package io.tidemark.cluster.swarm;

import static org.awaitility.Awaitility.await;

import io.tidemark.cluster.TargetException;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test access to the private Docker Engine in swarm mode named by {@code DOCKER_HOST}: deploys a
 * stack with the docker CLI or by sending Tidemark's specs, reads back what the engine keeps, and
 * removes stacks.
 */
final class SwarmEngine implements AutoCloseable {

  final DockerApi api;

  private SwarmEngine(DockerApi api) {
    this.api = api;
  }

  static boolean available() {
    String host = System.getenv("DOCKER_HOST");
    return host != null && !host.isBlank();
  }

  static SwarmEngine connect() {
    return new SwarmEngine(DockerApi.connect(System.getenv("DOCKER_HOST"), Duration.ofSeconds(30)));
  }

  /** Runs the docker CLI and returns its output; fails the test when it exits non-zero. */
  static String docker(String... args) {
    return docker(Map.of(), args);
  }

  /** Runs the docker CLI with extra environment variables (for compose interpolation). */
  static String docker(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new AssertionError("cannot run docker", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** {@code docker stack deploy -c a -c b ... stack}, with {@code env} as the CLI's environment. */
  static void cliDeploy(List<Path> composeFiles, Map<String, String> env, String stack) {
    List<String> args =
        new ArrayList<>(List.of("stack", "deploy", "--resolve-image", "never", "--detach=true"));
    for (Path file : composeFiles) {
      args.add("-c");
      args.add(file.toString());
    }
    args.add(stack);
    docker(env, args.toArray(String[]::new));
  }

  /** Creates every desired object through the Engine API, as SwarmTarget will. */
  void apiDeploy(DesiredState state) throws TargetException {
    Map<String, String> ids = new HashMap<>();
    for (DesiredObject object : state.list()) {
      Map<String, Object> spec = Trees.mutableCopy(object.spec());
      switch (SwarmKind.of(object.key().kind())) {
        case NETWORK -> api.post("/networks/create", spec);
        case CONFIG -> ids.put("Config:" + spec.get("Name"), id(api.post("/configs/create", spec)));
        case SECRET -> ids.put("Secret:" + spec.get("Name"), id(api.post("/secrets/create", spec)));
        case SERVICE -> {
          fillIds(spec, "Configs", "ConfigName", "ConfigID", "Config:", ids);
          fillIds(spec, "Secrets", "SecretName", "SecretID", "Secret:", ids);
          api.post("/services/create", spec);
        }
      }
    }
  }

  private static String id(Map<String, Object> answer) {
    return String.valueOf(answer.get("ID"));
  }

  @SuppressWarnings("unchecked")
  private void fillIds(
      Map<String, Object> spec,
      String field,
      String nameField,
      String idField,
      String prefix,
      Map<String, String> ids)
      throws TargetException {
    Map<String, Object> container =
        (Map<String, Object>) ((Map<String, Object>) spec.get("TaskTemplate")).get("ContainerSpec");
    if (!(container.get(field) instanceof List<?> refs)) {
      return;
    }
    for (Object ref : refs) {
      Map<String, Object> r = (Map<String, Object>) ref;
      String name = String.valueOf(r.get(nameField));
      String id = ids.get(prefix + name);
      if (id == null) {
        String path = prefix.equals("Config:") ? "/configs/" : "/secrets/";
        id = String.valueOf(api.getObject(path + DockerApi.query(name)).get("ID"));
      }
      r.put(idField, id);
    }
  }

  Map<String, Object> service(String name) throws TargetException {
    return api.getObject("/services/" + DockerApi.query(name));
  }

  Map<String, Object> network(String name) throws TargetException {
    return api.getObject("/networks/" + DockerApi.query(name));
  }

  /**
   * A network just created is listed before the engine has filled it in (empty driver and IPAM);
   * read it again until it has.
   */
  private Map<String, Object> settled(Map<String, Object> network) {
    if (!"".equals(network.get("Driver"))) {
      return network;
    }
    String path = "/networks/" + network.get("Id");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> !"".equals(api.getObject(path).get("Driver")));
    try {
      return api.getObject(path);
    } catch (TargetException e) {
      throw new AssertionError(e);
    }
  }

  /** Network id to name, for reading service attachments. */
  Map<String, String> networkNames() throws TargetException {
    Map<String, String> names = new HashMap<>();
    for (Map<String, Object> n : api.getArray("/networks")) {
      names.put(String.valueOf(n.get("Id")), String.valueOf(n.get("Name")));
    }
    return names;
  }

  /**
   * Every service, network, config and secret of a stack, keyed by kind and stack-neutral name, in
   * the comparable form of {@link EngineSpecs}.
   */
  Map<String, Map<String, Object>> stackObjects(String stack) throws TargetException {
    Map<String, String> networks = networkNames();
    String filter =
        DockerApi.filter("label", java.util.List.of("com.docker.stack.namespace=" + stack));
    Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
    for (Map<String, Object> service : api.getArray("/services?filters=" + filter)) {
      Map<String, Object> spec =
          EngineSpecs.comparable(StackComparison.specOf(service), stack, networks);
      out.put("Service/" + spec.get("Name"), spec);
    }
    for (Map<String, Object> listed : api.getArray("/networks?filters=" + filter)) {
      Map<String, Object> network = settled(listed);
      Map<String, Object> spec = EngineSpecs.network(network, stack);
      out.put("Network/" + spec.get("Name"), spec);
    }
    for (String kind : List.of("configs", "secrets")) {
      for (Map<String, Object> object : api.getArray("/" + kind + "?filters=" + filter)) {
        Map<String, Object> spec = EngineSpecs.fileObject(StackComparison.specOf(object), stack);
        out.put(kind + "/" + spec.get("Name"), spec);
      }
    }
    return out;
  }

  /** Removes the stacks and waits until their services, networks, configs and secrets are gone. */
  void removeStacks(String... stacks) {
    for (String stack : stacks) {
      removeQuietly(stack);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              for (String stack : stacks) {
                String filter =
                    DockerApi.filter(
                        "label", java.util.List.of("com.docker.stack.namespace=" + stack));
                for (String kind : List.of("services", "networks", "configs", "secrets")) {
                  if (!api.getArray("/" + kind + "?filters=" + filter).isEmpty()) {
                    removeQuietly(stack);
                    return false;
                  }
                }
              }
              return true;
            });
    for (String stack : stacks) {
      removeLeftovers(stack);
    }
  }

  /** Task containers and volumes the stack's tasks made, which {@code docker stack rm} leaves. */
  private static void removeLeftovers(String stack) {
    String label = "label=com.docker.stack.namespace=" + stack;
    for (String container : docker("ps", "-aq", "--filter", label).split("\\s+")) {
      if (!container.isBlank()) {
        quietly("rm", "-f", container);
      }
    }
    for (String volume : docker("volume", "ls", "-q", "--filter", label).split("\\s+")) {
      if (!volume.isBlank()) {
        quietly("volume", "rm", "-f", volume);
      }
    }
  }

  private static void quietly(String... args) {
    try {
      docker(args);
    } catch (AssertionError ignored) {
      // already gone
    }
  }

  /** Creates an attachable overlay network and a config that fixtures declare external. */
  void ensureExternals(String network, String config) {
    removeExternals(network, config);
    docker("network", "create", "--driver", "overlay", "--attachable", network);
    try {
      api.post(
          "/configs/create",
          Map.of(
              "Name",
              config,
              "Data",
              java.util.Base64.getEncoder()
                  .encodeToString("external\n".getBytes(StandardCharsets.UTF_8))));
    } catch (TargetException e) {
      throw new AssertionError(e);
    }
  }

  void removeExternals(String network, String config) {
    // Tasks create external volumes that do not exist yet, without any stack label.
    quietly("volume", "rm", "-f", "tmconv_shared_volume");
    quietly("network", "rm", network);
    quietly("config", "rm", config);
  }

  private static void removeQuietly(String stack) {
    quietly("stack", "rm", stack);
  }

  @Override
  public void close() {
    api.close();
  }
}
