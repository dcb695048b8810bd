package io.tidemark.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tidemark.reconcile.Reconcilers;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in Debian's headless Chromium against the running service: a drifted Swarm service's
 * field differences, an invalid revision's errors with file and line, the history, a run opened
 * from a link, and a laptop-sized screenshot.
 */
@QuarkusTest
@TestProfile(DriftedSwarmProfile.class)
@ExtendWith(DriftedStack.Cleanup.class)
class WebPageChromiumTest {

  static final Path SCREENSHOT = Path.of("target", "page-screenshots", "tidemark-1366x768.png");
  static final Path RUN_SCREENSHOT =
      Path.of("target", "page-screenshots", "tidemark-opened-run-1366x768.png");

  @Inject Reconcilers reconcilers;

  @TestHTTPResource("/")
  URL root;

  @TempDir Path work;

  @Test
  void thePageShowsTheDriftedServiceTheRejectedRevisionAndTheHistory() throws Exception {
    DriftedStack.ensure(reconcilers);
    // A commit that does not validate: rejected whole, its errors shown beside the drift.
    DriftedSwarmProfile.repo
        .write(DriftedSwarmProfile.STACK_FILE, DriftedSwarmProfile.stack("v1") + "    ports: 80\n")
        .commitAndPush("break the stack");
    JsonPath rejected = DriftedStack.sync();
    try {
      assertThat(rejected.getList("errors", String.class))
          .anyMatch(e -> e.startsWith(DriftedSwarmProfile.STACK_FILE + ":"));
      String error = rejected.getList("errors", String.class).get(0);
      String fileLine = error.substring(0, error.indexOf(": "));

      Chromium chromium = Chromium.find(work);
      // Field paths may wrap after each dot: compare the text without the break hints.
      String dom = chromium.render(root.toURI(), SCREENSHOT, 1366, 768).replace("<wbr>", "");

      assertThat(dom).contains("data-key=\"Service/" + DriftedStack.SERVICE + "\"");
      assertThat(dom).contains("<td class=\"path\">Mode.Replicated.Replicas</td>");
      assertThat(dom).contains("<td class=\"live\"><del>3</del></td>");
      assertThat(dom).contains("<td class=\"desired\"><ins>1</ins></td>");
      assertThat(dom).contains("<del>hotfix</del>", "<ins>v1</ins>");
      assertThat(dom).contains("class=\"badge state s-DRIFTED\">drifted</span>");
      assertThat(dom).contains("<code class=\"at\">" + fileLine + "</code>");
      assertThat(dom).contains("is invalid and was rejected whole");
      // The commit message's markup arrives as text.
      assertThat(dom).contains("page v1 &lt;b&gt;not bold&lt;/b&gt;").doesNotContain("<b>not bold");
      assertThat(dom)
          .contains("<summary>2 in sync</summary>", "<code>Service/tmpage_worker</code>");
      assertThat(countOf(dom, "<tr class=\"run")).isGreaterThanOrEqualTo(3);

      assertThat(SCREENSHOT).exists();
      byte[] png = Files.readAllBytes(SCREENSHOT);
      assertThat(png).startsWith(0x89, 'P', 'N', 'G');
      assertThat(png.length).as("screenshot size").isGreaterThan(20_000);
    } finally {
      DriftedSwarmProfile.repo
          .write(DriftedSwarmProfile.STACK_FILE, DriftedSwarmProfile.stack("v1"))
          .commitAndPush("repair the stack");
      DriftedStack.sync();
    }
  }

  @Test
  void aRunOpenedByLinkShowsThatRunsObjects() throws Exception {
    DriftedStack.ensure(reconcilers);
    JsonPath runs = io.restassured.RestAssured.get("/api/targets/page/runs?limit=20").jsonPath();
    List<String> ids = runs.getList("id", String.class);
    assertThat(ids).hasSizeGreaterThanOrEqualTo(2);
    String oldest = ids.get(ids.size() - 1);
    String result = runs.getString("find { it.id == '" + oldest + "' }.result");

    URI link = URI.create(root + "#target=page&run=" + oldest);
    Chromium chromium = Chromium.find(work);
    String dom = chromium.render(link, RUN_SCREENSHOT, 1366, 768);

    assertThat(dom)
        .contains("<tr class=\"run current\" tabindex=\"0\" data-run=\"" + oldest + "\"");
    assertThat(dom).contains("<h3>Run at ");
    assertThat(dom).contains("class=\"badge r-" + result + "\"");
    assertThat(dom).contains(">back to latest</button>");
    assertThat(RUN_SCREENSHOT).exists();
  }

  private static int countOf(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
