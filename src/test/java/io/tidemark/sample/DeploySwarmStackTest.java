package io.tidemark.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.sample.ComposeFolder.CliResult;
import io.tidemark.sample.ComposeFolder.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tidemark's own Swarm stack is accepted by the real docker CLI and runs Tidemark the way the issue
 * asks: one replica on a manager, the Engine socket, file-based secrets, a data volume, a
 * stop-first update and a health check on the liveness endpoint.
 */
class DeploySwarmStackTest {

  private static ComposeFolder stack;
  private static Service tidemark;

  @BeforeAll
  static void readStack() {
    stack = ComposeFolder.read(RepoPaths.deploySwarm());
    tidemark = stack.services().get("tidemark");
  }

  @Test
  void dockerStackConfigAcceptsTheStack() throws Exception {
    CliResult result = stack.dockerStackConfig();

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("tidemark:");
  }

  @Test
  void theStackKeepsTheRulesOfEveryStackOfThisProject() {
    assertThat(stack.files())
        .extracting(f -> f.path().getFileName().toString())
        .containsExactly("tidemark-stack.yml");
    assertThat(ComposeChecks.incompleteServices(stack)).isEmpty();
    assertThat(ComposeChecks.unresolvedReferences(stack)).isEmpty();
    assertThat(ComposeChecks.variablesWithoutDefault(stack)).isEmpty();
    assertThat(ComposeChecks.usedVariables(stack)).containsAll(stack.envFile().keySet());
  }

  @Test
  void oneReplicaRunsOnAManagerAndStopsBeforeItsSuccessorStarts() {
    Map<String, Object> deploy = Maps.map(tidemark.spec(), "deploy");

    assertThat(deploy.get("replicas")).isEqualTo(1);
    assertThat(Maps.list(deploy, "placement", "constraints")).contains("node.role == manager");
    assertThat(Maps.string(deploy, "update_config", "order")).isEqualTo("stop-first");
    assertThat(Maps.string(deploy, "rollback_config", "order")).isEqualTo("stop-first");
  }

  @Test
  void theHealthCheckAsksTheLivenessEndpoint() {
    List<Object> test = Maps.list(tidemark.spec(), "healthcheck", "test");

    assertThat(test).containsExactly("CMD", "/opt/tidemark/bin/tidemark-healthcheck");
  }

  @Test
  void itTalksToTheEngineThroughTheSocketAndKeepsItsDataOnAVolume() {
    List<Object> volumes = Maps.list(tidemark.spec(), "volumes");

    assertThat(volumes)
        .contains(
            Map.of(
                "type", "bind",
                "source", "/var/run/docker.sock",
                "target", "/var/run/docker.sock"));
    assertThat(ComposeChecks.namedVolumes(tidemark.spec())).containsExactly("tidemark-data");
    assertThat(volumes)
        .anySatisfy(v -> assertThat(v).asString().contains("target=/var/lib/tidemark"));
    assertThat(Maps.string(tidemark.spec(), "environment", "TIDEMARK_DATA_DIR"))
        .isEqualTo("/var/lib/tidemark");
  }

  @Test
  void theGitTokenWebhookSecretAndAgeKeyAreSwarmSecretFilesThatTheConfigurationNames() {
    Map<String, Object> env = Maps.map(tidemark.spec(), "environment");
    List<String> secrets = ComposeChecks.sources(tidemark.spec(), "secrets");

    assertThat(secrets)
        .containsExactlyInAnyOrder(
            "tidemark_git_token", "tidemark_webhook_secret", "tidemark_sops_age_key");
    assertThat(env.get("TIDEMARK_SOPS_AGE_KEY_FILE"))
        .isEqualTo("/run/secrets/tidemark_sops_age_key");
    assertThat(env.get("TIDEMARK_GIT_PASSWORD_FILE")).isEqualTo("/run/secrets/tidemark_git_token");
    for (String provider : List.of("GITHUB", "GITLAB", "GITEA")) {
      assertThat(env.get("TIDEMARK_WEBHOOKS_" + provider + "_SECRET_FILE"))
          .isEqualTo("/run/secrets/tidemark_webhook_secret");
    }
    assertThat(env.keySet()).noneMatch(k -> k.endsWith("_SECRET") || k.endsWith("_PASSWORD"));
  }
}
