package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSettingsTest {

  @TempDir Path temp;

  @Test
  void movesCredentialsOutOfAnHttpsUrl() {
    GitSettings settings =
        GitSettings.of(
            "https://deploy:t0ken@git.example.org/platform/desired.git",
            FollowedRef.branch("main"),
            temp);

    assertThat(settings.url()).isEqualTo("https://git.example.org/platform/desired.git");
    assertThat(settings.username()).contains("deploy");
    assertThat(settings.password()).contains("t0ken");
  }

  @Test
  void treatsATokenAsUserNameOfAnHttpsUrlAsACredential() {
    GitSettings settings =
        GitSettings.of("https://ghp_abc123@github.com/o/r.git", FollowedRef.branch("main"), temp);

    assertThat(settings.url()).isEqualTo("https://github.com/o/r.git");
    assertThat(settings.password()).contains("ghp_abc123");
    assertThat(settings.toString()).doesNotContain("abc123");
  }

  @Test
  void keepsExplicitCredentialsOverThoseInTheUrl() {
    GitSettings settings =
        GitSettings.of("https://a:b@git.example.org/r.git", FollowedRef.branch("main"), temp)
            .withCredentials("explicit", "secret");

    assertThat(settings.username()).contains("explicit");
    assertThat(settings.password()).contains("secret");
  }

  @Test
  void keepsTheUserOfAnSshUrl() {
    GitSettings scp = GitSettings.of("git@github.com:o/r.git", FollowedRef.branch("main"), temp);
    GitSettings ssh =
        GitSettings.of("ssh://git@git.example.org:2222/r.git", FollowedRef.branch("main"), temp);

    assertThat(scp.url()).isEqualTo("git@github.com:o/r.git");
    assertThat(scp.isSsh()).isTrue();
    assertThat(ssh.url()).isEqualTo("ssh://git@git.example.org:2222/r.git");
    assertThat(ssh.isSsh()).isTrue();
    assertThat(GitSettings.of("/srv/git/r.git", FollowedRef.branch("main"), temp).isSsh())
        .isFalse();
    assertThat(GitSettings.of("https://h/r.git", FollowedRef.branch("main"), temp).isSsh())
        .isFalse();
  }

  @Test
  void neverPrintsThePassword() {
    GitSettings settings =
        GitSettings.of("https://git.example.org/r.git", FollowedRef.tag("v1"), temp)
            .withCredentials("deploy", "hunter2-secret");

    assertThat(settings.toString()).doesNotContain("hunter2-secret").contains("password=****");
    assertThat(settings.toString()).contains("ref=tags/v1", "username=deploy");
  }

  @Test
  void readsASecretFileWithoutItsTrailingNewline() throws Exception {
    Path file = Files.writeString(temp.resolve("password"), "t0ken\n");

    assertThat(GitSettings.readSecret(file)).isEqualTo("t0ken");
  }

  @Test
  void rejectsInvalidValues() {
    assertThatThrownBy(() -> GitSettings.of(" ", FollowedRef.branch("main"), temp))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                GitSettings.of("https://h/r.git", FollowedRef.branch("main"), temp)
                    .withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FollowedRef.branch("bad..name"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FollowedRef.tag("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FollowedRef.commit("xyz1234"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new GitSettings(
                    "https://h/r.git",
                    FollowedRef.branch("main"),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void normalisesAPinnedCommit() {
    assertThat(FollowedRef.commit(" ABCDEF1 ").display()).isEqualTo("abcdef1");
  }
}
