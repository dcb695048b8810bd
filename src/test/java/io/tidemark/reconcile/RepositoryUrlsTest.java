package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The spellings of one remote that a webhook payload and a configuration may use. */
class RepositoryUrlsTest {

  @Test
  void httpsSshAndWebUrlsOfOneRepositoryMatch() {
    String configured = "https://token@github.com/Acme/Platform.git";
    assertThat(
            RepositoryUrls.sameRepository(configured, List.of("git@github.com:acme/platform.git")))
        .isTrue();
    assertThat(
            RepositoryUrls.sameRepository(
                configured, List.of("ssh://git@github.com:22/acme/platform")))
        .isTrue();
    assertThat(
            RepositoryUrls.sameRepository(configured, List.of("https://github.com/acme/platform/")))
        .isTrue();
  }

  @Test
  void anotherRepositoryOrHostDoesNotMatch() {
    String configured = "https://github.com/acme/platform.git";
    assertThat(
            RepositoryUrls.sameRepository(
                configured,
                List.of(
                    "https://github.com/acme/platform-apps", "https://gitlab.com/acme/platform")))
        .isFalse();
  }

  @Test
  void fileUrlsMatchByPath() {
    assertThat(
            RepositoryUrls.sameRepository(
                "file:///srv/git/platform.git", List.of("file:///srv/git/platform")))
        .isTrue();
  }
}
