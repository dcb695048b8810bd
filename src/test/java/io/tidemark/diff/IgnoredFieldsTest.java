package io.tidemark.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.Trees;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What writers send for ignored fields, on literal trees. */
class IgnoredFieldsTest {

  @Test
  void keepsTheLiveValueOfAnIgnoredFieldInASpecToSend() {
    Map<String, Object> spec =
        Trees.mutableCopy(
            Map.of("Image", "web:2", "Mode", Map.of("Replicated", Map.of("Replicas", 2))));
    Map<String, Object> live = Map.of("Mode", Map.of("Replicated", Map.of("Replicas", 5)));

    IgnoredFields.keepLive(spec, live, List.of("Mode.Replicated.Replicas"));

    assertThat(Trees.at(spec, "Mode", "Replicated", "Replicas")).isEqualTo(5);
    assertThat(spec.get("Image")).isEqualTo("web:2");
  }

  @Test
  void removesAnIgnoredFieldThatIsNotLive() {
    Map<String, Object> spec = Trees.mutableCopy(Map.of("Labels", Map.of("a.b/c", "1", "d", "2")));

    IgnoredFields.keepLive(spec, Map.of(), List.of("Labels[\"a.b/c\"]"));

    assertThat(spec).isEqualTo(Map.of("Labels", Map.of("d", "2")));
  }

  @Test
  void dropsIgnoredFieldsFromAnObjectToApply() {
    Map<String, Object> spec =
        Trees.mutableCopy(
            Map.of(
                "spec",
                Map.of(
                    "replicas",
                    3,
                    "template",
                    Map.of(
                        "spec",
                        Map.of(
                            "containers",
                            List.of(
                                Map.of("name", "web", "image", "a"),
                                Map.of("name", "log", "image", "b")))))));

    IgnoredFields.drop(
        spec, List.of("spec.replicas", "spec.template.spec.containers[name=log].image"));

    assertThat(Trees.at(spec, "spec", "replicas")).isNull();
    assertThat(IgnoredFields.resolve(spec, FieldPaths.parse("spec.template.spec.containers")))
        .isEqualTo(List.of(Map.of("name", "web", "image", "a"), Map.of("name", "log")));
  }
}
