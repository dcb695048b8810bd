package io.tidemark.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.model.FieldDiff;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeDiffTest {

  @Test
  void equalTreesHaveNoDifferences() {
    Map<String, Object> tree = Map.of("a", List.of(1, 2), "b", Map.of("c", "x"));
    assertThat(TreeDiff.diff(tree, Map.of("b", Map.of("c", "x"), "a", List.of(1, 2)))).isEmpty();
  }

  @Test
  void numbersCompareByValueWhateverTheirJavaType() {
    assertThat(TreeDiff.diff(Map.of("n", 1), Map.of("n", 1L))).isEmpty();
    assertThat(TreeDiff.diff(Map.of("n", 1), Map.of("n", 1.0d))).isEmpty();
    assertThat(TreeDiff.diff(Map.of("n", 1), Map.of("n", 2L)))
        .containsExactly(new FieldDiff("n", 1, 2L));
  }

  @Test
  void reportsTheNestedPathAndBothValues() {
    Map<String, Object> desired = Map.of("Mode", Map.of("Replicated", Map.of("Replicas", 2)));
    Map<String, Object> live = Map.of("Mode", Map.of("Replicated", Map.of("Replicas", 5)));
    assertThat(TreeDiff.diff(desired, live))
        .containsExactly(new FieldDiff("Mode.Replicated.Replicas", 2, 5));
  }

  @Test
  void reportsFieldsPresentOnOneSideOnly() {
    List<FieldDiff> diffs = TreeDiff.diff(Map.of("a", "x"), Map.of("b", "y"));
    assertThat(diffs).containsExactly(new FieldDiff("a", "x", null), new FieldDiff("b", null, "y"));
  }

  @Test
  void comparesListsOfEqualLengthElementByElementAndOthersWhole() {
    assertThat(
            TreeDiff.diff(
                Map.of("Env", List.of("A=1", "B=2")), Map.of("Env", List.of("A=1", "B=3"))))
        .containsExactly(new FieldDiff("Env[1]", "B=2", "B=3"));
    assertThat(TreeDiff.diff(Map.of("Env", List.of("A=1")), Map.of("Env", List.of("A=1", "C=4"))))
        .containsExactly(new FieldDiff("Env", List.of("A=1"), List.of("A=1", "C=4")));
  }

  @Test
  void quotesKeysThatContainDots() {
    Map<String, Object> desired = Map.of("Labels", Map.of("io.tidemark/target", "a"));
    Map<String, Object> live = Map.of("Labels", Map.of("io.tidemark/target", "b"));
    assertThat(TreeDiff.diff(desired, live))
        .containsExactly(new FieldDiff("Labels[\"io.tidemark/target\"]", "a", "b"));
  }
}
