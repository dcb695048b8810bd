package io.tidemark.desired.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {

  private final Interpolator interpolator =
      new Interpolator(Map.of("NAME", "web", "EMPTY", "", "TAG", "1.2"));

  @Test
  void substitutesBracedAndUnbracedVariables() throws Exception {
    assertThat(interpolator.substitute("app/${NAME}:$TAG")).isEqualTo("app/web:1.2");
  }

  @Test
  void unsetVariableWithoutDefaultBecomesEmpty() throws Exception {
    assertThat(interpolator.substitute("x${MISSING}y")).isEqualTo("xy");
  }

  @Test
  void colonDashDefaultAppliesWhenUnsetOrEmpty() throws Exception {
    assertThat(interpolator.substitute("${MISSING:-d}")).isEqualTo("d");
    assertThat(interpolator.substitute("${EMPTY:-d}")).isEqualTo("d");
    assertThat(interpolator.substitute("${NAME:-d}")).isEqualTo("web");
  }

  @Test
  void dashDefaultAppliesOnlyWhenUnset() throws Exception {
    assertThat(interpolator.substitute("${MISSING-d}")).isEqualTo("d");
    assertThat(interpolator.substitute("${EMPTY-d}")).isEqualTo("");
  }

  @Test
  void requiredVariableFailsWithItsMessage() {
    assertThatThrownBy(() -> interpolator.substitute("${MISSING:?set MISSING please}"))
        .hasMessage("required variable MISSING is missing a value: set MISSING please");
    assertThatThrownBy(() -> interpolator.substitute("${EMPTY:?needed}"))
        .hasMessageContaining("EMPTY");
  }

  @Test
  void questionMarkAloneAcceptsAnEmptyValue() throws Exception {
    assertThat(interpolator.substitute("${EMPTY?needed}")).isEqualTo("");
  }

  @Test
  void doubleDollarIsALiteralDollar() throws Exception {
    assertThat(interpolator.substitute("echo $$HOME costs $$5")).isEqualTo("echo $HOME costs $5");
  }

  @Test
  void aLoneDollarIsAnError() {
    assertThatThrownBy(() -> interpolator.substitute("price: 5$"))
        .hasMessageContaining("invalid interpolation");
  }

  @Test
  void interpolatesValuesButNotKeysAndReportsPaths() {
    List<String> errors = new ArrayList<>();
    Object out =
        interpolator.interpolate(
            Map.of("${NAME}", List.of("${NAME}", "${X:?missing}")),
            List.of("services"),
            (path, why) -> errors.add(path + " " + why));
    assertThat(out).isEqualTo(Map.of("${NAME}", List.of("web", "${X:?missing}")));
    assertThat(errors)
        .containsExactly("[services, ${NAME}, 1] required variable X is missing a value: missing");
  }
}
