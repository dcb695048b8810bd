package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** FieldsV1 sets as the API server writes them, matched against paths. */
class ManagedFieldsTest {

  private static final Map<String, Object> PORTS =
      Map.of(
          "f:spec",
          Map.of(
              "f:ports",
              Map.of(
                  "k:{\"containerPort\":80,\"protocol\":\"TCP\"}",
                  Map.of(".", Map.of(), "f:name", Map.of())),
              "f:selector",
              Map.of(),
              "f:finalizers",
              Map.of("v:\"example.com/keep\"", Map.of())));

  @Test
  void matchesAListItemByEveryFieldOfItsKey() {
    Map<String, Object> port = Map.of("name", "http", "containerPort", 80, "protocol", "TCP");
    Map<String, Object> udp = Map.of("name", "http", "containerPort", 80, "protocol", "UDP");

    assertThat(
            covers(
                FieldPath.root()
                    .field("spec")
                    .field("ports")
                    .item("name", "http", port)
                    .field("name")))
        .isTrue();
    assertThat(
            covers(
                FieldPath.root()
                    .field("spec")
                    .field("ports")
                    .item("name", "http", udp)
                    .field("name")))
        .isFalse();
  }

  @Test
  void treatsALeafAsOwningEverythingBelowIt() {
    assertThat(covers(FieldPath.root().field("spec").field("selector").field("matchLabels")))
        .isTrue();
    assertThat(covers(FieldPath.root().field("spec").field("replicas"))).isFalse();
  }

  @Test
  void matchesSetItemsByValue() {
    FieldPath finalizers = FieldPath.root().field("spec").field("finalizers");

    assertThat(covers(finalizers.index(0, "example.com/keep"))).isTrue();
    assertThat(covers(finalizers.index(0, "example.com/other"))).isFalse();
  }

  @Test
  void rendersPathsForPeople() {
    FieldPath path =
        FieldPath.root()
            .field("metadata")
            .field("annotations")
            .field("kubectl.kubernetes.io/restartedAt");
    FieldPath item =
        FieldPath.root().field("spec").field("ports").item("port", 443, Map.of()).index(2, "x");

    assertThat(path).hasToString("metadata.annotations[\"kubectl.kubernetes.io/restartedAt\"]");
    assertThat(item).hasToString("spec.ports[port=443][2]");
    assertThat(FieldPath.root()).hasToString(".");
  }

  private static boolean covers(FieldPath path) {
    return ManagedFields.covers(PORTS, path);
  }
}
