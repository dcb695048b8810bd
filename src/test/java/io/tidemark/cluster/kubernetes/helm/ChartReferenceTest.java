package io.tidemark.cluster.kubernetes.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a release may name as a remote chart, and how credentials are matched and shown. */
class ChartReferenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"^11.1.0", "~11.1", ">=1.0.0 <2.0.0", "11.x", "*", "latest", "11.1"})
  void refusesEveryVersionThatIsNotExact(String version) {
    assertThatThrownBy(() -> ChartReference.of("https://charts.example.org", "mysql", version))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("is not an exact version");
  }

  @ParameterizedTest
  @ValueSource(strings = {"11.1.2", "v1.0.0", "1.0.0-rc.1", "2.3.4+build.5"})
  void acceptsExactVersions(String version) throws Exception {
    assertThat(ChartReference.of("oci://r.example.org/charts/", "mysql", version).version())
        .isEqualTo(version);
  }

  @Test
  void refusesCredentialsInTheRepositoryUrl() {
    assertThatThrownBy(
            () -> ChartReference.of("https://user:pw@charts.example.org", "mysql", "1.0.0"))
        .hasMessage(
            "spec.repository holds credentials; put them in"
                + " tidemark.helm.repositories.<name>.password-file");
  }

  @Test
  void theLongestMatchingPrefixWinsAndThePasswordIsNeverShown() {
    RepositoryCredentials registry =
        new RepositoryCredentials(
            "oci://r.example.org", Optional.of("a"), Optional.of("pw-one"), false);
    RepositoryCredentials team =
        new RepositoryCredentials(
            "oci://r.example.org/team/", Optional.of("b"), Optional.of("pw-two"), false);
    ChartCredentials credentials = new ChartCredentials(List.of(registry, team));

    assertThat(credentials.forUrl("oci://r.example.org/team/charts")).contains(team);
    assertThat(credentials.forUrl("oci://r.example.org/other")).contains(registry);
    assertThat(credentials.forUrl("oci://r.example.org.evil/x")).isEmpty();
    assertThat(team.toString()).doesNotContain("pw-two").contains("password=<set>");
  }
}
