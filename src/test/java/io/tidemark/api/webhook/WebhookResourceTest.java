package io.tidemark.api.webhook;

import static io.restassured.RestAssured.given;
import static io.tidemark.api.webhook.Fixtures.hmacHex;
import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.tidemark.api.webhook.RecordingPushListener.Call;
import io.tidemark.model.Trigger;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WebhookResourceTest.AllProviders.class)
class WebhookResourceTest {

  static final String GITHUB = "github-it-secret";
  static final String GITLAB = "gitlab-it-token";
  static final String GITEA = "gitea-it-secret";
  static final String BITBUCKET = "bitbucket-it-secret-from-file";
  static final String GENERIC = "generic-it-token";

  /** Secrets for all five providers (Bitbucket's from a file) and the recording listener. */
  public static class AllProviders implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path file = Files.createTempFile("tidemark-bitbucket", ".secret");
        file.toFile().deleteOnExit();
        Files.writeString(file, BITBUCKET + "\n");
        return Map.of(
            "quarkus.http.test-port", "0",
            "tidemark.webhooks.github.secret", GITHUB,
            "tidemark.webhooks.gitlab.secret", GITLAB,
            "tidemark.webhooks.gitea.secret", GITEA,
            "tidemark.webhooks.bitbucket.secret-file", file.toString(),
            "tidemark.webhooks.generic.secret", GENERIC,
            // A secret under a name that is no provider must not open anything.
            "tidemark.webhooks.sourcehut.secret", "sourcehut-it-secret");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(RecordingPushListener.class);
    }
  }

  @Inject RecordingPushListener listener;

  @TestHTTPResource("/api/webhooks/github")
  URI githubUri;

  @BeforeEach
  void forgetCalls() {
    listener.clear();
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static RequestSpecification github(byte[] body, String event, String id, String secret) {
    return given()
        .contentType("application/json")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", id)
        .header("X-Hub-Signature-256", "sha256=" + hmacHex(secret, body))
        .body(body);
  }

  private void assertOneCall(String ref, String provider, String id) {
    assertThat(listener.calls()).containsExactly(new Call(ref, Trigger.webhook(provider, id)));
  }

  @Test
  void triggersTheFollowingTargetsOnASignedGitHubPush() {
    String id = newId();
    github(payload("github/push-main.json"), "push", id, GITHUB)
        .post("/api/webhooks/github")
        .then()
        .statusCode(202)
        .body("triggered", contains("swarm"));
    assertOneCall("refs/heads/main", "github", id);
  }

  @Test
  void triggersOnAGitLabPushWithTheRightToken() {
    String id = newId();
    given()
        .contentType("application/json")
        .header("X-Gitlab-Event", "Push Hook")
        .header("X-Gitlab-Event-UUID", id)
        .header("X-Gitlab-Token", GITLAB)
        .body(payload("gitlab/push-main.json"))
        .post("/api/webhooks/gitlab")
        .then()
        .statusCode(202)
        .body("triggered", contains("swarm"));
    assertOneCall("refs/heads/main", "gitlab", id);
  }

  @Test
  void triggersOnASignedForgejoPush() {
    String id = newId();
    byte[] body = payload("gitea/push-main.json");
    given()
        .contentType("application/json")
        .header("X-Forgejo-Event", "push")
        .header("X-Forgejo-Delivery", id)
        .header("X-Forgejo-Signature", hmacHex(GITEA, body))
        .body(body)
        .post("/api/webhooks/gitea")
        .then()
        .statusCode(202)
        .body("triggered", contains("swarm"));
    assertOneCall("refs/heads/main", "gitea", id);
  }

  @Test
  void triggersOnASignedBitbucketCloudPushWithTheSecretFromAFile() {
    String id = newId();
    byte[] body = payload("bitbucket/cloud-push-main.json");
    given()
        .contentType("application/json")
        .header("X-Event-Key", "repo:push")
        .header("X-Request-UUID", id)
        .header("X-Hub-Signature", "sha256=" + hmacHex(BITBUCKET, body))
        .body(body)
        .post("/api/webhooks/bitbucket")
        .then()
        .statusCode(202)
        .body("triggered", contains("swarm"));
    assertOneCall("refs/heads/main", "bitbucket", id);
  }

  @Test
  void triggersOnAGenericCallWithTheBearerToken() {
    String id = newId();
    given()
        .contentType("application/json")
        .header("Authorization", "Bearer " + GENERIC)
        .header("X-Tidemark-Delivery", id)
        .body(payload("generic/ref-main.json"))
        .post("/api/webhooks/generic")
        .then()
        .statusCode(202)
        .body("triggered", contains("swarm"));
    assertOneCall("refs/heads/main", "generic", id);
  }

  @Test
  void readsTheExactBytesOfAFormEncodedGitHubPush() throws Exception {
    String id = newId();
    byte[] form =
        utf8(
            "payload="
                + URLEncoder.encode(
                    new String(payload("github/push-main.json"), StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(githubUri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", id)
                .header("X-Hub-Signature-256", "sha256=" + hmacHex(GITHUB, form))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
    assertThat(response.statusCode()).isEqualTo(202);
    assertOneCall("refs/heads/main", "github", id);
  }

  @Test
  void refusesEveryProviderWithAWrongSecretAndTriggersNothing() {
    byte[] body = payload("github/push-main.json");
    github(body, "push", newId(), "wrong").post("/api/webhooks/github").then().statusCode(401);
    given()
        .header("X-Gitlab-Event", "Push Hook")
        .header("X-Gitlab-Token", "wrong")
        .body(payload("gitlab/push-main.json"))
        .post("/api/webhooks/gitlab")
        .then()
        .statusCode(401);
    given()
        .header("X-Gitea-Event", "push")
        .header("X-Gitea-Signature", hmacHex("wrong", payload("gitea/push-main.json")))
        .body(payload("gitea/push-main.json"))
        .post("/api/webhooks/gitea")
        .then()
        .statusCode(401);
    given()
        .header("X-Event-Key", "repo:refs_changed")
        .body(payload("bitbucket/server-refs-changed-main.json"))
        .post("/api/webhooks/bitbucket")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + GITHUB)
        .body(payload("generic/ref-main.json"))
        .post("/api/webhooks/generic")
        .then()
        .statusCode(401);
    assertThat(listener.calls()).isEmpty();
  }

  @Test
  void ignoresAPushToAnotherBranch() {
    github(payload("github/push-feature.json"), "push", newId(), GITHUB)
        .post("/api/webhooks/github")
        .then()
        .statusCode(200)
        .body("ignored", equalTo("ref refs/heads/feature/login is not followed"));
  }

  @Test
  void answersAPingWithoutAnyCall() {
    github(payload("github/ping.json"), "ping", newId(), GITHUB)
        .post("/api/webhooks/github")
        .then()
        .statusCode(200)
        .body("ignored", equalTo("ping"));
    assertThat(listener.calls()).isEmpty();
  }

  @Test
  void triggersADuplicateDeliveryOnlyOnce() {
    String id = newId();
    byte[] body = payload("github/push-main.json");
    github(body, "push", id, GITHUB).post("/api/webhooks/github").then().statusCode(202);
    github(body, "push", id, GITHUB)
        .post("/api/webhooks/github")
        .then()
        .statusCode(200)
        .body("ignored", equalTo("duplicate delivery"));
    assertOneCall("refs/heads/main", "github", id);
  }

  @Test
  void answers400ForMalformedJsonWithAValidSignature() {
    github(utf8("{\"ref\": "), "push", newId(), GITHUB)
        .post("/api/webhooks/github")
        .then()
        .statusCode(400);
    assertThat(listener.calls()).isEmpty();
  }

  @Test
  void answers404ForProvidersThatDoNotExist() {
    given().body("{}").post("/api/webhooks/sourcehut").then().statusCode(404);
    given().body("{}").post("/api/webhooks/anything").then().statusCode(404);
    assertThat(listener.calls()).isEmpty();
  }

  @Test
  void answers413ForABodyOfOneAndAHalfMebibytes() throws Exception {
    byte[] body = new byte[1536 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    String signature = "sha256=" + hmacHex(GITHUB, body);
    double refusedBefore = metric("github", "too_large");
    HttpRequest.Builder post =
        HttpRequest.newBuilder(githubUri)
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", "push")
            .header("X-Hub-Signature-256", signature);
    // With a Content-Length, and chunked (no length announced up front).
    HttpResponse<String> sized =
        send(post.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    HttpResponse<String> chunked =
        send(
            post.copy()
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));
    assertThat(sized.statusCode()).isEqualTo(413);
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(listener.calls()).isEmpty();
    // Refused by the HTTP layer before the resource: still counted, once each.
    assertThat(metric("github", "too_large")).isEqualTo(refusedBefore + 2);
  }

  @Test
  void countsRequestsByProviderAndOutcome() {
    double before = metric("github", "triggered");
    double tooLargeBefore = metric("github", "too_large");
    github(payload("github/push-main.json"), "push", newId(), GITHUB)
        .post("/api/webhooks/github")
        .then()
        .statusCode(202);
    given().body("{}").post("/api/webhooks/gitlab").then().statusCode(401);
    assertThat(metric("github", "triggered")).isEqualTo(before + 1);
    assertThat(metric("gitlab", "unauthorized")).isGreaterThanOrEqualTo(1);
    // Requests the resource answered are not counted a second time as refused bodies.
    assertThat(metric("github", "too_large")).isEqualTo(tooLargeBefore);
  }

  /** Sends over HTTP/1.1, as webhook senders do (the JDK client would otherwise try h2c). */
  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double metric(String provider, String outcome) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Pattern line =
        Pattern.compile(
            "^tidemark_webhook_requests_total\\{(?=[^}]*outcome=\""
                + outcome
                + "\")(?=[^}]*provider=\""
                + provider
                + "\")[^}]*} ([0-9.eE+-]+)$",
            Pattern.MULTILINE);
    Matcher matcher = line.matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
