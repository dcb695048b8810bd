package io.tidemark.target.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.diff.TreeDiff;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import io.tidemark.model.RevisionInfo;
import io.tidemark.target.TargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deploys one compose folder twice on the real engine, with {@code docker stack deploy} and with
 * Tidemark's specs, and compares what the engine keeps for each service and network.
 */
final class StackComparison {

  static final String CLI_STACK = "tmconvcli";
  static final String API_STACK = "tmconvapi";

  private final SwarmEngine engine;

  StackComparison(SwarmEngine engine) {
    this.engine = engine;
  }

  static DesiredState load(Path repo, String folder, String stack) throws Exception {
    return new SwarmStackLoader("conv", stack, Map.of())
        .load(repo, folder, new RevisionInfo("c0ffee", "", "", null));
  }

  /** Deploys both ways and returns the desired state Tidemark sent. */
  DesiredState deployBoth(Path repo, String folder, String composeFile) throws Exception {
    SwarmEngine.cliDeploy(repo.resolve(folder).resolve(composeFile), CLI_STACK);
    DesiredState desired = load(repo, folder, API_STACK);
    engine.apiDeploy(desired);
    return desired;
  }

  /** The differences between the CLI's and Tidemark's engine-kept specs, per object. */
  List<String> engineDifferences(DesiredState desired) throws TargetException {
    Map<String, String> networks = engine.networkNames();
    List<String> out = new ArrayList<>();
    for (DesiredObject object : desired.list()) {
      String apiName = object.key().name();
      String cliName = CLI_STACK + apiName.substring(API_STACK.length());
      switch (SwarmKind.of(object.key().kind())) {
        case SERVICE -> {
          Map<String, Object> cli = spec(engine.service(cliName), CLI_STACK, networks);
          Map<String, Object> api = spec(engine.service(apiName), API_STACK, networks);
          TreeDiff.diff(cli, api).forEach(d -> out.add(apiName + " " + d));
          if (System.getenv("TMCONV_DEBUG") != null) {
            System.out.println("CLI " + cli + "\nAPI " + api);
          }
        }
        case NETWORK -> {
          Map<String, Object> cli = network(engine.network(cliName), CLI_STACK);
          Map<String, Object> api = network(engine.network(apiName), API_STACK);
          TreeDiff.diff(cli, api).forEach(d -> out.add(apiName + " " + d));
        }
        default -> {
          // compared through the services that reference them, and in their own tests
        }
      }
    }
    return out;
  }

  /** SwarmDiffer's verdict for every desired object against what the engine keeps. */
  List<FieldDiff> tidemarkDrift(DesiredState desired) throws TargetException {
    Map<String, String> networks = engine.networkNames();
    SwarmDiffer differ = new SwarmDiffer();
    List<FieldDiff> out = new ArrayList<>();
    for (DesiredObject object : desired.list()) {
      out.addAll(differ.compare(object, live(object.key(), networks)));
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
  private static Map<String, Object> specOf(Map<String, Object> inspected) {
    return (Map<String, Object>) inspected.get("Spec");
  }

  private static Map<String, Object> spec(
      Map<String, Object> service, String stack, Map<String, String> networks) {
    return EngineSpecs.comparable(specOf(service), stack, networks);
  }

  private static Map<String, Object> network(Map<String, Object> network, String stack) {
    Map<String, Object> n = EngineSpecs.comparable(network, stack, Map.of());
    for (String serverOwned : List.of("Id", "Created", "IPAM", "Options", "Containers", "Peers")) {
      n.remove(serverOwned);
    }
    return n;
  }

  static void assertNoDifferences(List<?> differences) {
    assertThat(differences).isEmpty();
  }
}
