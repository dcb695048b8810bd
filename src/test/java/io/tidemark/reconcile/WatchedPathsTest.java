package io.tidemark.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which changed paths concern a target: its folder and the files its render read. */
class WatchedPathsTest {

  @Test
  void aChangeUnderTheFolderConcernsTheTarget() {
    WatchedPaths watched = new WatchedPaths("./stacks/app/", Set.of());
    assertThat(watched.touchedBy(Set.of("stacks/app/docker-stack.yml"))).isTrue();
    assertThat(watched.touchedBy(Set.of("stacks/app/deep/x.conf"))).isTrue();
  }

  @Test
  void aChangeInASiblingFolderWithTheSamePrefixDoesNot() {
    WatchedPaths watched = new WatchedPaths("stacks/app", Set.of());
    assertThat(watched.touchedBy(Set.of("stacks/app2/docker-stack.yml", "README.md"))).isFalse();
  }

  @Test
  void aChangedFileTheRenderReadOutsideTheFolderConcernsTheTarget() {
    WatchedPaths watched = new WatchedPaths("stacks/app", Set.of("shared/app.env"));
    assertThat(watched.touchedBy(Set.of("shared/app.env"))).isTrue();
    assertThat(watched.touchedBy(Set.of("shared/other.env"))).isFalse();
  }

  @Test
  void theWholeRepositoryIsWatchedForTheRootFolderOrAnEmptyInput() {
    assertThat(new WatchedPaths(".", Set.of()).touchedBy(Set.of("anything/at/all"))).isTrue();
    assertThat(new WatchedPaths("a", Set.of("")).touchedBy(Set.of("b/c"))).isTrue();
  }
}
