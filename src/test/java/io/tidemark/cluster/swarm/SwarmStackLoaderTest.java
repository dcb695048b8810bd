package io.tidemark.cluster.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.DesiredState;
import io.tidemark.model.Labels;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SwarmStackLoader makes of a folder, and what it rejects, without an engine. */
class SwarmStackLoaderTest {

  @TempDir Path repo;

  private void write(String file, String text) throws Exception {
    Path path = repo.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  private DesiredState load() throws Exception {
    return new SwarmStackLoader("prod", "shop", Map.of("TAG", "7"))
        .load(repo, "stack", new RevisionInfo("abc123", "", "", null));
  }

  private List<String> errors() {
    InvalidRevisionException e = catchThrowableOfType(InvalidRevisionException.class, this::load);
    assertThat(e).as("an invalid revision").isNotNull();
    return e.errors().stream().map(RenderError::toString).toList();
  }

  @Test
  void putsOwnershipOnServiceLabelsAndOnlyTheStackLabelOnContainers() throws Exception {
    write(
        "stack/docker-stack.yml", "services:\n  web:\n    image: shop:${TAG}\n    labels: [a=1]\n");
    DesiredObject web = load().objects().get(ObjectKey.of("Service", "shop_web"));
    assertThat(Trees.at(web.spec(), "Labels"))
        .isEqualTo(
            Map.of(
                Labels.TARGET,
                "prod",
                Labels.COMMIT,
                "abc123",
                Labels.STACK_NAMESPACE,
                "shop",
                "com.docker.stack.image",
                "shop:7"));
    assertThat(Trees.at(web.spec(), "TaskTemplate", "ContainerSpec", "Labels"))
        .isEqualTo(Map.of("a", "1", Labels.STACK_NAMESPACE, "shop"));
    assertThat(web.source().toString()).isEqualTo("stack/docker-stack.yml:2");
  }

  @Test
  void createsTheDefaultNetworkOnlyWhenUsedAndNeverExternalOrUnusedOnes() throws Exception {
    write(
        "stack/docker-stack.yml",
        """
        services:
          a: {image: x, networks: [ext, mine]}
        networks:
          ext: {external: true}
          mine: {}
          unused: {}
        """);
    assertThat(load().objects().keySet())
        .containsExactlyInAnyOrder(
            ObjectKey.of("Network", "shop_mine"), ObjectKey.of("Service", "shop_a"));
  }

  @Test
  void namesConfigsAndSecretsByContentHashAndMarksSecrets() throws Exception {
    write("stack/app.conf", "x=1\n");
    write("stack/pw.txt", "hunter2");
    write(
        "stack/docker-stack.yml",
        """
        services:
          a: {image: x, configs: [conf], secrets: [pw]}
        configs:
          conf: {file: app.conf}
        secrets:
          pw: {file: ./pw.txt}
        """);
    DesiredState state = load();
    String configHash =
        FileObjects.sha256("x=1\n".getBytes(StandardCharsets.UTF_8)).substring(0, 10);
    String secretHash =
        FileObjects.sha256("hunter2".getBytes(StandardCharsets.UTF_8)).substring(0, 10);
    DesiredObject secret = state.objects().get(ObjectKey.of("Secret", "shop_pw-" + secretHash));
    assertThat(secret.secret()).isTrue();
    assertThat(secret.spec().get("Data"))
        .isEqualTo(Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)));
    assertThat(state.objects().get(ObjectKey.of("Config", "shop_conf-" + configHash)).secret())
        .isFalse();
    Object refs =
        Trees.at(
            state.objects().get(ObjectKey.of("Service", "shop_a")).spec(),
            "TaskTemplate",
            "ContainerSpec");
    assertThat(refs.toString())
        .contains("ConfigName=shop_conf-" + configHash, "SecretName=shop_pw-" + secretHash);
  }

  @Test
  void rejectsMissingFilesPathsOutsideTheRepositoryAndUndefinedReferences() throws Exception {
    Path outside = Files.createTempFile("outside", ".txt");
    Files.createDirectories(repo.resolve("stack"));
    Files.createSymbolicLink(repo.resolve("stack/link.txt"), outside);
    write(
        "stack/docker-stack.yml",
        """
        services:
          a:
            image: x
            env_file: ../../etc/passwd
            networks: [nowhere]
            secrets: [nosuch]
            volumes: [undeclared:/data, ./relative:/r]
        configs:
          missing: {file: missing.conf}
          absolute: {file: /etc/hostname}
          linked: {file: link.txt}
        """);
    assertThat(errors())
        .containsExactlyInAnyOrder(
            "stack/docker-stack.yml:9: configs.missing.file: file \"missing.conf\" does not exist"
                + " in the checkout (symbolic links that point outside the repository are left out)",
            "stack/docker-stack.yml:10: configs.absolute.file: path \"/etc/hostname\" is absolute; it must be inside the repository",
            "stack/docker-stack.yml:11: configs.linked.file: path \"link.txt\" links outside the repository",
            "stack/docker-stack.yml:4: services.a.env_file.0: path \"../../etc/passwd\" escapes the repository",
            "stack/docker-stack.yml:5: services.a.networks: undefined network \"nowhere\"",
            "stack/docker-stack.yml:6: services.a.secrets.0: undefined secret \"nosuch\"",
            "stack/docker-stack.yml:7: services.a.volumes.0: undefined volume \"undeclared\"",
            "stack/docker-stack.yml:7: services.a.volumes.1: a bind mount source must be an absolute path on the node");
    Files.delete(outside);
  }

  @Test
  void rejectsBadValuesWithTheirLines() throws Exception {
    write(
        "stack/docker-stack.yml",
        """
        services:
          a:
            image: x
            ports: ["80:eighty"]
            stop_grace_period: 10 parsecs
            deploy:
              mode: sometimes
              resources: {limits: {memory: lots}}
        """);
    assertThat(errors())
        .containsExactlyInAnyOrder(
            "stack/docker-stack.yml:4: services.a.ports.0: invalid port \"80:eighty\"",
            "stack/docker-stack.yml:5: services.a.stop_grace_period: invalid duration \"10 parsecs\"",
            "stack/docker-stack.yml:7: services.a.deploy.mode: unknown mode: sometimes",
            "stack/docker-stack.yml:8: services.a.deploy.resources.limits.memory: invalid size \"lots\"");
  }

  @Test
  void neverPutsSecretContentInErrors() throws Exception {
    write("stack/pw.txt", "hunter2");
    write(
        "stack/docker-stack.yml",
        "services:\n  a: {image: x, secrets: [pw], ports: [bad]}\nsecrets:\n  pw: {file: pw.txt}\n");
    assertThat(String.join("\n", errors())).doesNotContain("hunter2");
  }
}
