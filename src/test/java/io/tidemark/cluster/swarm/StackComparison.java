package io.tidemark.cluster.swarm;

import io.tidemark.cluster.TargetException;
import io.tidemark.diff.TreeDiff;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.RevisionInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Deploys one compose folder twice on the real engine, first with {@code docker stack deploy}, then
 * (after removing it) with Tidemark's specs, and compares every service, network, config and secret
 * that the engine keeps for each stack.
 */
final class StackComparison {

  static final String CLI_STACK = "tmconvcli";
  static final String API_STACK = "tmconvapi";

  private final SwarmEngine engine;

  StackComparison(SwarmEngine engine) {
    this.engine = engine;
  }

  static DesiredState load(Path repo, String folder, String stack, Map<String, String> variables)
      throws Exception {
    return new SwarmStackLoader("conv", stack, variables)
        .load(repo, folder, new RevisionInfo("c0ffee", "", "", null));
  }

  /** The result of deploying one folder both ways. */
  record Outcome(
      DesiredState desired,
      Set<String> compared,
      List<String> differences,
      List<FieldDiff> drift) {}

  /**
   * Deploys every compose file of the folder ({@code docker-stack.yml} first, then the others by
   * name, the order Tidemark merges them in), giving the CLI the folder's {@code .env} as its
   * environment since the CLI itself does not read it.
   */
  Outcome compare(Path repo, String folder) throws Exception {
    Path dir = repo.resolve(folder);
    List<Path> files;
    try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(dir)) {
      files =
          list.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
              .sorted(
                  java.util.Comparator.comparing(
                          (Path p) -> !p.getFileName().toString().startsWith("docker-stack."))
                      .thenComparing(Path::toString))
              .toList();
    }
    Map<String, String> env = Map.of();
    if (java.nio.file.Files.exists(dir.resolve(".env"))) {
      env =
          io.tidemark.desired.compose.EnvFile.variables(
              java.nio.file.Files.readString(dir.resolve(".env")), new ArrayList<>());
    }
    SwarmEngine.cliDeploy(files, env, CLI_STACK);
    Map<String, Map<String, Object>> cli = engine.stackObjects(CLI_STACK);
    engine.removeStacks(CLI_STACK);
    DesiredState desired = load(repo, folder, API_STACK, Map.of());
    engine.apiDeploy(desired);
    Map<String, Map<String, Object>> api = engine.stackObjects(API_STACK);
    return new Outcome(
        desired, new TreeSet<>(cli.keySet()), differences(cli, api), tidemarkDrift(desired));
  }

  static List<String> differences(
      Map<String, Map<String, Object>> cli, Map<String, Map<String, Object>> api) {
    List<String> out = new ArrayList<>();
    for (String key : new TreeSet<>(cli.keySet())) {
      if (!api.containsKey(key)) {
        out.add(key + " made by the CLI only");
        continue;
      }
      TreeDiff.diff(cli.get(key), api.get(key)).forEach(d -> out.add(key + " " + d));
    }
    api.keySet().stream()
        .filter(k -> !cli.containsKey(k))
        .forEach(k -> out.add(k + " made by Tidemark only"));
    return out;
  }

  /** SwarmDiffer's verdict for every desired object against what the engine keeps. */
  List<FieldDiff> tidemarkDrift(DesiredState desired) throws TargetException {
    Map<String, String> networks = engine.networkNames();
    SwarmDiffer differ = new SwarmDiffer();
    List<FieldDiff> out = new ArrayList<>();
    for (DesiredObject object : desired.list()) {
      for (FieldDiff diff : differ.compare(object, live(object.key(), networks))) {
        out.add(new FieldDiff(object.key() + " " + diff.path(), diff.desired(), diff.live()));
      }
    }
    return out;
  }

  LiveObject live(ObjectKey key, Map<String, String> networks) throws TargetException {
    String name = key.name();
    Map<String, Object> spec =
        switch (SwarmKind.of(key.kind())) {
          case SERVICE -> SwarmDiffer.withNetworkNames(specOf(engine.service(name)), networks);
          case NETWORK -> engine.network(name);
          case CONFIG -> specOf(engine.api.getObject("/configs/" + name));
          case SECRET -> specOf(engine.api.getObject("/secrets/" + name));
        };
    return new LiveObject(key, spec, Map.of(), "", Ownership.OWNED);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> specOf(Map<String, Object> inspected) {
    return (Map<String, Object>) inspected.get("Spec");
  }

  static Map<String, Map<String, Object>> sorted(Map<String, Map<String, Object>> map) {
    return new TreeMap<>(map);
  }
}
