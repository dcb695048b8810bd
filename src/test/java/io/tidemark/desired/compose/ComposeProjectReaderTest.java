package io.tidemark.desired.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tidemark.desired.InvalidRevisionException;
import io.tidemark.desired.RenderError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeProjectReaderTest {

  @TempDir Path repo;

  private Path write(String file, String text) throws Exception {
    Path path = repo.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
    return path;
  }

  private ComposeProject read(Map<String, String> variables) throws Exception {
    return new ComposeProjectReader(variables).read(repo, "app");
  }

  private List<String> errors() {
    InvalidRevisionException e =
        catchThrowableOfType(InvalidRevisionException.class, () -> read(Map.of()));
    assertThat(e).as("an invalid revision").isNotNull();
    return e.errors().stream().map(RenderError::toString).toList();
  }

  @Test
  void interpolatesFromDotEnvWithConfiguredVariablesWinning() throws Exception {
    write("app/.env", "TAG=from-env\nNAME='quoted'\n# comment\n");
    write(
        "app/docker-stack.yml",
        """
        services:
          web:
            image: app:${TAG}
            environment:
              NAME: ${NAME}
              REPLICAS: ${REPLICAS:-1}
        """);
    ComposeProject project = read(Map.of("TAG", "configured"));
    Map<?, ?> web = (Map<?, ?>) project.section("services").get("web");
    assertThat(web.get("image")).isEqualTo("app:configured");
    assertThat(web.get("environment")).isEqualTo(Map.of("NAME", "quoted", "REPLICAS", "1"));
  }

  @Test
  void mergesFilesInOrderAsTheCliDoes() throws Exception {
    write(
        "app/docker-stack.yml",
        """
        services:
          web:
            image: app:1
            command: ["a", "b"]
            environment: [A=1, B=2]
            ports: ["80:80"]
            dns: [1.1.1.1]
            deploy:
              replicas: 1
              labels: {x: "1"}
        """);
    write(
        "app/override.yml",
        """
        services:
          web:
            image: app:2
            command: c
            environment: {B: "3"}
            ports: ["80:8080", "443:443"]
            dns: [8.8.8.8]
            deploy:
              labels: [y=2]
          extra:
            image: other
        """);
    Map<String, Object> services = read(Map.of()).section("services");
    Map<?, ?> web = (Map<?, ?>) services.get("web");
    assertThat(web.get("image")).isEqualTo("app:2");
    assertThat(web.get("command")).isEqualTo(List.of("c"));
    assertThat(web.get("environment")).isEqualTo(Map.of("A", "1", "B", "3"));
    assertThat(
            ((List<?>) web.get("ports"))
                .stream().map(p -> (Object) ((Map<?, ?>) p).get("target")).toList())
        .containsExactly((Object) 8080L, 443L);
    assertThat(web.get("dns")).isEqualTo(List.of("1.1.1.1", "8.8.8.8"));
    assertThat(((Map<?, ?>) web.get("deploy")).get("labels")).isEqualTo(Map.of("x", "1", "y", "2"));
    assertThat(((Map<?, ?>) web.get("deploy")).get("replicas")).isEqualTo(1L);
    assertThat(services).containsKey("extra");
  }

  @Test
  void resolvesAnchorsAndMergeKeysAndIgnoresExtensions() throws Exception {
    write(
        "app/docker-stack.yml",
        """
        x-common: &common
          image: app:1
          environment: {A: "1"}
        services:
          web:
            <<: *common
            environment: {B: "2"}
            x-note: ignored
        """);
    Map<?, ?> web = (Map<?, ?>) read(Map.of()).section("services").get("web");
    assertThat(web.get("image")).isEqualTo("app:1");
    assertThat(web.get("environment")).isEqualTo(Map.of("B", "2"));
  }

  @Test
  void reportsEveryErrorWithFileAndLine() throws Exception {
    write(
        "app/docker-stack.yml",
        """
        services:
          web:
            image: app:${TAG:?TAG must be set}
            imagee: typo
            deploy:
              replicas: many
          noimage:
            command: sleep
        """);
    write("app/broken.yml", "services:\n  a: [unclosed\n");
    assertThat(errors())
        .containsExactlyInAnyOrder(
            "app/docker-stack.yml:3: services.web.image: required variable TAG is missing a value: TAG must be set",
            "app/docker-stack.yml:4: services.web.imagee: unknown key",
            "app/docker-stack.yml:6: services.web.deploy.replicas: must be integer",
            "app/docker-stack.yml:7: services.noimage: a service needs an image",
            "app/broken.yml:3: invalid YAML: expected ',' or ']', but got <stream end>");
  }

  @Test
  void rejectsServicesThatCannotMerge() throws Exception {
    write(
        "app/docker-stack.yml", "services:\n  web:\n    image: a\n    deploy: {labels: {a: b}}\n");
    write("app/zz.yml", "services:\n  web:\n    deploy: {placement: wrong}\n");
    assertThat(errors()).anyMatch(e -> e.startsWith("app/zz.yml:3: services.web.deploy.placement"));
  }

  @Test
  void limitsAliasExpansion() throws Exception {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    char previous = 'a';
    for (char c = 'b'; c <= 'j'; c++) {
      bomb.append(c).append(": &").append(c).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous)));
      bomb.append("]\n");
      previous = c;
    }
    bomb.append("services: {}\n");
    write("app/docker-stack.yml", bomb.toString());
    assertThat(errors())
        .anyMatch(e -> e.contains("app/docker-stack.yml") && e.contains("invalid YAML"));
  }

  @Test
  void anOverrideFileMayLeaveTheImageToTheBaseFile() throws Exception {
    write("app/docker-stack.yml", "services:\n  web:\n    image: app:1\n");
    write("app/prod.yml", "services:\n  web:\n    deploy: {replicas: 3}\n");
    Map<?, ?> web = (Map<?, ?>) read(Map.of()).section("services").get("web");
    assertThat(web.get("image")).isEqualTo("app:1");
  }

  @Test
  void typesPlainScalarsAsTheCliDoes() throws Exception {
    write(
        "app/docker-stack.yml",
        "services:\n  web:\n    image: a\n    environment: {Y: yes, O: 0755, F: 1.50, Q: '0755', N: ~}\n");
    Map<?, ?> web = (Map<?, ?>) read(Map.of()).section("services").get("web");
    Map<String, String> expected =
        new java.util.HashMap<>(Map.of("Y", "yes", "O", "493", "F", "1.5", "Q", "0755"));
    expected.put("N", null);
    assertThat(web.get("environment")).isEqualTo(expected);
  }

  @Test
  void limitsNestingDepth() throws Exception {
    write("app/docker-stack.yml", "services: " + "[".repeat(200) + "]".repeat(200) + "\n");
    assertThat(errors())
        .containsExactly("app/docker-stack.yml: invalid YAML: Nesting Depth exceeded max 100");
  }

  @Test
  void aFolderWithoutComposeFilesIsAnError() throws Exception {
    write("app/README.yml", "just: data\n");
    assertThat(errors()).containsExactly("app: no compose file with a services: key");
  }
}
