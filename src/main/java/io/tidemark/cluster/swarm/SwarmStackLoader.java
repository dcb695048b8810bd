package io.tidemark.cluster.swarm;

import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.desired.compose.ComposeProject;
import io.tidemark.desired.compose.ComposeProjectReader;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads a target folder's compose files into the networks, configs, secrets and services that
 * {@code docker stack deploy -c ... <stack>} would send to the engine, each spec exactly the JSON
 * the CLI sends, plus Tidemark's ownership labels. Service references to secrets and configs name
 * them; their engine ids are filled in when the spec is sent.
 */
public final class SwarmStackLoader implements DesiredStateLoader {

  private final String targetName;
  private final String stackName;
  private final Map<String, String> variables;
  private final SopsDecryptor sops;

  public SwarmStackLoader(String targetName, String stackName, Map<String, String> variables) {
    this(targetName, stackName, variables, SopsDecryptor.withoutKeys());
  }

  /** A loader that decrypts the stack's SOPS files in memory with {@code sops}. */
  public SwarmStackLoader(
      String targetName, String stackName, Map<String, String> variables, SopsDecryptor sops) {
    this.sops = Objects.requireNonNull(sops, "sops");
    this.targetName = Objects.requireNonNull(targetName, "targetName");
    this.stackName = Objects.requireNonNull(stackName, "stackName");
    this.variables = Map.copyOf(variables);
    if (!stackName.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw new IllegalArgumentException("invalid stack name \"" + stackName + "\"");
    }
  }

  @Override
  public DesiredState load(Path repoRoot, String folder, RevisionInfo revision)
      throws InvalidRevisionException {
    List<RenderError> readErrors = new ArrayList<>();
    ComposeProject project =
        new ComposeProjectReader(variables, sops).read(repoRoot, folder, readErrors);
    StackContext ctx = new StackContext(project, stackName, targetName, revision.commit());
    ctx.errors.addAll(readErrors);
    List<DesiredObject> objects = new ArrayList<>();
    NetworkConverter.specs(ctx)
        .forEach(
            (name, spec) ->
                objects.add(object(ctx, SwarmKind.NETWORK, name, spec, "networks", false)));
    FileObjects.configs(ctx)
        .forEach(
            (name, spec) ->
                objects.add(
                    object(
                        ctx,
                        SwarmKind.CONFIG,
                        name,
                        spec,
                        "configs",
                        ctx.decrypted.contains(name))));
    FileObjects.secrets(ctx)
        .forEach(
            (name, spec) ->
                objects.add(object(ctx, SwarmKind.SECRET, name, spec, "secrets", true)));
    ServiceConverter services = new ServiceConverter(ctx);
    new TreeMap<>(project.section("services"))
        .forEach(
            (name, service) -> {
              Map<String, Object> spec;
              try {
                spec = services.convert(name, Json.map(service));
              } catch (RuntimeException e) {
                // Values the schema check reported can break conversion; those are reported.
                if (!readErrors.isEmpty()) {
                  return;
                }
                if (!(e instanceof IllegalArgumentException)) {
                  throw e;
                }
                ctx.error(List.of("services", name), e.getMessage());
                return;
              }
              objects.add(
                  new DesiredObject(
                      ObjectKey.of(SwarmKind.SERVICE.kind(), ctx.scope(name)),
                      spec,
                      ctx.locate(List.of("services", name)),
                      false,
                      project.files().secrets()));
            });
    if (!ctx.errors.isEmpty()) {
      throw new InvalidRevisionException(ctx.errors);
    }
    return DesiredState.of(objects).withInputs(project.files().read());
  }

  private static DesiredObject object(
      StackContext ctx,
      SwarmKind kind,
      String name,
      Map<String, Object> spec,
      String section,
      boolean secret) {
    Map<String, String> names =
        switch (kind) {
          case CONFIG -> ctx.configNames;
          case SECRET -> ctx.secretNames;
          default -> Map.of();
        };
    String key =
        names.entrySet().stream()
            .filter(e -> e.getValue().equals(name))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(
                name.startsWith(ctx.stack + "_") ? name.substring(ctx.stack.length() + 1) : name);
    return new DesiredObject(
        ObjectKey.of(kind.kind(), name),
        spec,
        ctx.locate(List.of(section, key)),
        secret,
        ctx.project.files().secrets());
  }
}
