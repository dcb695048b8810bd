package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.junit.http.AppServer;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches over real HTTP with basic auth, from JGit's own Git server on Jetty. */
class JGitSourceHttpTest {

  private static final String WRONG_PASSWORD = "s3cret-but-wrong";

  @TempDir Path temp;
  private OriginRepo origin;
  private AppServer server;
  private String url;

  @BeforeEach
  void startServer() throws Exception {
    origin = OriginRepo.create(temp.resolve("origin.git"));
    server = new AppServer();
    ServletContextHandler app = server.addContext("/git");
    GitServlet servlet = new GitServlet();
    servlet.setRepositoryResolver(
        (request, name) -> {
          if (!name.equals("repo.git")) {
            throw new RepositoryNotFoundException(name);
          }
          origin.repository().incrementOpen();
          return origin.repository();
        });
    app.addServlet(new ServletHolder(servlet), "/*");
    server.authBasic(app);
    server.setUp();
    url = "http://127.0.0.1:" + server.getPort() + "/git/repo.git";
  }

  @AfterEach
  void stopServer() throws Exception {
    server.tearDown();
    origin.close();
  }

  private JGitSource source(String url, String user, String password) {
    return new JGitSource(
        GitSettings.of(url, FollowedRef.branch("main"), temp.resolve("data"))
            .withCredentials(user, password));
  }

  @Test
  void clonesAndFetchesWithTheRightUserAndPassword() throws Exception {
    ObjectId first = origin.commitFile("main", "a.txt", "one");
    try (JGitSource source = source(url, AppServer.username, AppServer.password)) {
      assertThat(source.sync().commit()).isEqualTo(first.name());

      ObjectId second = origin.commitFile("main", "a.txt", "two");
      Revision revision = source.sync();

      assertThat(revision.commit()).isEqualTo(second.name());
      assertThat(revision.tree().resolve("a.txt")).hasContent("two");
    }
  }

  @Test
  void reportsAWrongPasswordAsFailedAuthenticationWithoutShowingIt() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    try (JGitSource source = source(url, AppServer.username, WRONG_PASSWORD)) {
      assertThatThrownBy(source::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith("authentication failed for " + url)
          .hasMessageNotContaining(WRONG_PASSWORD);
      assertThat(source.current()).isEmpty();
    }
  }

  @Test
  void reportsMissingCredentialsAsFailedAuthentication() throws Exception {
    origin.commitFile("main", "a.txt", "one");
    try (JGitSource source =
        new JGitSource(GitSettings.of(url, FollowedRef.branch("main"), temp.resolve("data")))) {
      assertThatThrownBy(source::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("authentication failed")
          .hasMessageContaining("no credentials configured");
    }
  }

  @Test
  void usesCredentialsWrittenIntoTheUrlButNeverShowsThem() throws Exception {
    ObjectId commit = origin.commitFile("main", "a.txt", "one");
    String withCredentials =
        url.replace("http://", "http://" + AppServer.username + ":" + AppServer.password + "@");
    try (JGitSource source =
        new JGitSource(
            GitSettings.of(withCredentials, FollowedRef.branch("main"), temp.resolve("data")))) {
      assertThat(source.sync().commit()).isEqualTo(commit.name());
      assertThat(source.url()).isEqualTo(url);
    }
  }

  @Test
  void reportsAnUnknownRepositoryOnAReachableServer() throws Exception {
    String missing = url.replace("repo.git", "missing.git");
    try (JGitSource source = source(missing, AppServer.username, AppServer.password)) {
      assertThatThrownBy(source::sync)
          .isInstanceOf(SourceException.class)
          .hasMessageStartingWith(missing + " is not a git repository");
    }
  }
}
