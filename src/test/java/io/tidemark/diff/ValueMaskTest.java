package io.tidemark.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueMaskTest {

  private static DesiredObject service(Set<String> decrypted) {
    return new DesiredObject(
        ObjectKey.of("Service", "s_db"),
        Map.of(),
        new SourceLocation("x.yml", 1),
        false,
        decrypted);
  }

  @Test
  void masksASwarmEnvVariableWhoseNameLooksSecret() {
    List<FieldDiff> masked =
        ValueMask.defaults()
            .apply(
                service(Set.of()),
                List.of(
                    new FieldDiff(
                        "TaskTemplate.ContainerSpec.Env.MYSQL_PASSWORD", "in-git", "changed-live"),
                    new FieldDiff(
                        "TaskTemplate.ContainerSpec.Env.MYSQL_DATABASE", "app", "other")));

    assertThat(masked.get(0).desired()).asString().startsWith("<secret sha256:");
    assertThat(masked.get(0).live()).asString().startsWith("<secret sha256:");
    assertThat(masked.get(0).toString()).doesNotContain("in-git", "changed-live");
    assertThat(masked.get(1))
        .isEqualTo(new FieldDiff("TaskTemplate.ContainerSpec.Env.MYSQL_DATABASE", "app", "other"));
  }

  @Test
  void masksAKubernetesEnvEntryByNameCaseInsensitively() {
    List<FieldDiff> masked =
        new ValueMask(List.of("*token*"))
            .apply(
                service(Set.of()),
                List.of(
                    new FieldDiff(
                        "spec.template.spec.containers[name=app].env[name=API_TOKEN].value",
                        "a",
                        "b")));

    assertThat(masked.get(0).desired()).asString().startsWith("<secret sha256:");
  }

  @Test
  void masksAValueDecryptedFromASopsFileWhateverItsName() {
    List<FieldDiff> masked =
        ValueMask.defaults()
            .apply(
                service(Set.of("s3cr3t-value")),
                List.of(
                    new FieldDiff("TaskTemplate.ContainerSpec.Env.key", "s3cr3t-value", "other"),
                    new FieldDiff("TaskTemplate.ContainerSpec.Args[1]", "--pw=s3cr3t-value", null),
                    new FieldDiff("Mode.Replicated.Replicas", 2, 1)));

    assertThat(masked.get(0).live()).asString().startsWith("<secret sha256:");
    assertThat(masked.get(1).desired()).asString().startsWith("<secret sha256:");
    assertThat(masked.get(2)).isEqualTo(new FieldDiff("Mode.Replicated.Replicas", 2, 1));
  }

  @Test
  void masksAWholeEnvListHoldingASecretLookingEntry() {
    List<FieldDiff> masked =
        ValueMask.defaults()
            .apply(
                service(Set.of()),
                List.of(
                    new FieldDiff(
                        "spec.template.spec.containers[name=app].env",
                        List.of(Map.of("name", "DB_PASSWORD", "value", "x")),
                        null)));

    assertThat(masked.get(0).desired()).asString().startsWith("<secret sha256:");
  }
}
