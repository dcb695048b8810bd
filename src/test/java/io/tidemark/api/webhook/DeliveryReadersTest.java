package io.tidemark.api.webhook;

import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.request;
import static io.tidemark.api.webhook.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.api.webhook.Delivery.Kind;
import io.tidemark.api.webhook.Delivery.RefPush;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeliveryReadersTest {

  private final JsonPayload json = new JsonPayload();

  @Nested
  class GitHub {

    private final GitHubDeliveryReader reader = new GitHubDeliveryReader(json);

    @Test
    void readsThePushedRefAndCommitAndTheDeliveryId() {
      WebhookRequest push =
          request(
              payload("github/push-main.json"),
              "X-GitHub-Event",
              "push",
              "X-GitHub-Delivery",
              "72d3162e-cc78-11e3-81ab-4c9367dc0958");
      assertThat(reader.deliveryId(push)).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
      assertThat(reader.read(push).pushes())
          .containsExactly(
              new RefPush(
                  "refs/heads/main",
                  "4f2a9e7c1b3d5f6a8c0e2b4d6f8a1c3e5b7d9f0a",
                  List.of("https://github.com/tidemark-example/platform.git")));
    }

    @Test
    void readsAFormEncodedPushLikeAJsonOne() {
      String form =
          "payload="
              + URLEncoder.encode(
                  new String(payload("github/push-main.json"), StandardCharsets.UTF_8),
                  StandardCharsets.UTF_8);
      WebhookRequest push =
          request(
              utf8(form),
              "X-GitHub-Event",
              "push",
              "Content-Type",
              "application/x-www-form-urlencoded");
      assertThat(reader.read(push).pushes())
          .extracting(RefPush::ref)
          .containsExactly("refs/heads/main");
    }

    @Test
    void tellsPingsAndOtherEventsFromPushes() {
      assertThat(reader.read(request(payload("github/ping.json"), "X-GitHub-Event", "ping")).kind())
          .isEqualTo(Kind.PING);
      assertThat(reader.read(request(utf8("{}"), "X-GitHub-Event", "issues")).kind())
          .isEqualTo(Kind.OTHER);
    }

    @Test
    void refusesAPushWithoutRefOrWithBrokenJsonOrWithoutEvent() {
      assertThatThrownBy(
              () -> reader.read(request(utf8("{\"after\":\"x\"}"), "X-GitHub-Event", "push")))
          .isInstanceOf(MalformedDeliveryException.class)
          .hasMessageContaining("ref");
      assertThatThrownBy(() -> reader.read(request(utf8("{\"ref\":"), "X-GitHub-Event", "push")))
          .isInstanceOf(MalformedDeliveryException.class);
      assertThatThrownBy(() -> reader.read(request(utf8("[1]"), "X-GitHub-Event", "push")))
          .isInstanceOf(MalformedDeliveryException.class);
      assertThatThrownBy(() -> reader.read(request(payload("github/push-main.json"))))
          .isInstanceOf(MalformedDeliveryException.class);
    }
  }

  @Nested
  class GitLab {

    private final GitLabDeliveryReader reader = new GitLabDeliveryReader(json);

    @Test
    void readsABranchPushWithItsCheckoutSha() {
      WebhookRequest push =
          request(
              payload("gitlab/push-main.json"),
              "X-Gitlab-Event",
              "Push Hook",
              "X-Gitlab-Event-UUID",
              "13792a34-cac6-4fda-95a8-c58e00a3954e");
      assertThat(reader.deliveryId(push)).isEqualTo("13792a34-cac6-4fda-95a8-c58e00a3954e");
      assertThat(reader.read(push).pushes())
          .containsExactly(
              new RefPush(
                  "refs/heads/main",
                  "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                  List.of(
                      "https://gitlab.example.com/tidemark-example/platform.git",
                      "https://gitlab.example.com/tidemark-example/platform.git",
                      "https://gitlab.example.com/tidemark-example/platform")));
    }

    @Test
    void readsATagPushAndFallsBackToTheIdempotencyKey() {
      WebhookRequest push =
          request(
              payload("gitlab/tag-push.json"),
              "X-Gitlab-Event",
              "Tag Push Hook",
              "Idempotency-Key",
              "f5a1b0f4-7c1e-4bb1-a1de-25b4f0c1b0aa");
      assertThat(reader.deliveryId(push)).isEqualTo("f5a1b0f4-7c1e-4bb1-a1de-25b4f0c1b0aa");
      assertThat(reader.read(push).pushes())
          .extracting(RefPush::ref)
          .containsExactly("refs/tags/v1.4.0");
    }

    @Test
    void ignoresOtherHooks() {
      assertThat(reader.read(request(utf8("{}"), "X-Gitlab-Event", "Merge Request Hook")).kind())
          .isEqualTo(Kind.OTHER);
      assertThat(
              reader
                  .read(
                      request(
                          utf8("{\"event_name\":\"user_create\"}"),
                          "X-Gitlab-Event",
                          "System Hook"))
                  .kind())
          .isEqualTo(Kind.OTHER);
    }
  }

  @Nested
  class Gitea {

    private final GiteaDeliveryReader reader = new GiteaDeliveryReader(json);

    @Test
    void readsAGiteaPush() {
      WebhookRequest push =
          request(
              payload("gitea/push-main.json"),
              "X-Gitea-Event",
              "push",
              "X-Gitea-Delivery",
              "f6266f16-1bf3-46a5-9ea4-602e06ead473");
      assertThat(reader.deliveryId(push)).isEqualTo("f6266f16-1bf3-46a5-9ea4-602e06ead473");
      assertThat(reader.read(push).pushes())
          .containsExactly(
              new RefPush(
                  "refs/heads/main",
                  "6b2f0e4c8a1d3f5b7e9c2a4d6f8b0e1c3a5d7f9b",
                  List.of("https://gitea.example.com/tidemark-example/platform.git")));
    }

    @Test
    void readsForgejoAndGogsHeadersToo() {
      WebhookRequest forgejo =
          request(
              payload("gitea/push-main.json"),
              "X-Forgejo-Event",
              "push",
              "X-Forgejo-Delivery",
              "fj-1");
      WebhookRequest gogs =
          request(
              payload("gitea/push-main.json"), "X-Gogs-Event", "push", "X-Gogs-Delivery", "gg-1");
      assertThat(reader.deliveryId(forgejo)).isEqualTo("fj-1");
      assertThat(reader.read(forgejo).kind()).isEqualTo(Kind.PUSH);
      assertThat(reader.deliveryId(gogs)).isEqualTo("gg-1");
      assertThat(reader.read(gogs).kind()).isEqualTo(Kind.PUSH);
      assertThat(reader.read(request(utf8("{}"), "X-Gitea-Event", "issues")).kind())
          .isEqualTo(Kind.OTHER);
    }
  }

  @Nested
  class Bitbucket {

    private final BitbucketDeliveryReader reader = new BitbucketDeliveryReader(json);

    @Test
    void readsACloudBranchPush() {
      WebhookRequest push =
          request(
              payload("bitbucket/cloud-push-main.json"),
              "X-Event-Key",
              "repo:push",
              "X-Request-UUID",
              "8d6c1e2a-4b3f-4a59-9e21-7f0c3b5d2a14");
      assertThat(reader.deliveryId(push)).isEqualTo("8d6c1e2a-4b3f-4a59-9e21-7f0c3b5d2a14");
      assertThat(reader.read(push).pushes())
          .containsExactly(
              new RefPush("refs/heads/main", "c0ffee1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b"));
    }

    @Test
    void readsEveryChangedRefOfACloudPushIncludingDeletedOnes() {
      WebhookRequest push =
          request(
              payload("bitbucket/cloud-push-tag-and-deleted-branch.json"),
              "X-Event-Key",
              "repo:push");
      assertThat(reader.read(push).pushes())
          .extracting(RefPush::ref)
          .containsExactly("refs/tags/v2.0.0", "refs/heads/feature/old-ui");
    }

    @Test
    void readsADataCenterRefsChangedEvent() {
      WebhookRequest push =
          request(
              payload("bitbucket/server-refs-changed-main.json"),
              "X-Event-Key",
              "repo:refs_changed",
              "X-Request-Id",
              "5ad2f3c4-9a8b-4c7d-8e6f-1a2b3c4d5e6f");
      assertThat(reader.deliveryId(push)).isEqualTo("5ad2f3c4-9a8b-4c7d-8e6f-1a2b3c4d5e6f");
      assertThat(reader.read(push).pushes())
          .containsExactly(
              new RefPush("refs/heads/main", "178864a7d521b6f5e720b386b2c2b0ef8563e0dc"));
    }

    @Test
    void tellsPingsAndOtherEventsFromPushesAndRefusesAPushWithoutChanges() {
      assertThat(reader.read(request(utf8(""), "X-Event-Key", "diagnostics:ping")).kind())
          .isEqualTo(Kind.PING);
      assertThat(reader.read(request(utf8("{}"), "X-Event-Key", "pullrequest:created")).kind())
          .isEqualTo(Kind.OTHER);
      assertThatThrownBy(
              () -> reader.read(request(utf8("{\"push\":{}}"), "X-Event-Key", "repo:push")))
          .isInstanceOf(MalformedDeliveryException.class);
    }
  }

  @Nested
  class Generic {

    private final GenericDeliveryReader reader =
        new GenericDeliveryReader(json, Optional.of("refs/heads/main"));

    @Test
    void readsTheGivenRef() {
      WebhookRequest push =
          request(utf8("{\"ref\":\"refs/tags/v3\"}"), "X-Tidemark-Delivery", "ci-run-77");
      assertThat(reader.deliveryId(push)).isEqualTo("ci-run-77");
      assertThat(reader.read(push).pushes())
          .extracting(RefPush::ref)
          .containsExactly("refs/tags/v3");
    }

    @Test
    void standsForTheFollowedRefWithoutBodyOrRef() {
      assertThat(reader.read(request(new byte[0])).pushes())
          .extracting(RefPush::ref)
          .containsExactly("refs/heads/main");
      assertThat(reader.read(request(utf8("{}"))).pushes())
          .extracting(RefPush::ref)
          .containsExactly("refs/heads/main");
      assertThat(reader.deliveryId(request(new byte[0]))).isEmpty();
    }

    @Test
    void refusesAShortOrNonTextRefAndBrokenJson() {
      assertThatThrownBy(() -> reader.read(request(utf8("{\"ref\":\"main\"}"))))
          .isInstanceOf(MalformedDeliveryException.class);
      assertThatThrownBy(() -> reader.read(request(utf8("{\"ref\":7}"))))
          .isInstanceOf(MalformedDeliveryException.class);
      assertThatThrownBy(() -> reader.read(request(utf8("ref=main"))))
          .isInstanceOf(MalformedDeliveryException.class);
    }

    @Test
    void knowsWhichRefTheSourceFollows() {
      assertThat(GenericDeliveryReader.followedRef(Optional.empty(), Optional.empty(), "main"))
          .contains("refs/heads/main");
      assertThat(GenericDeliveryReader.followedRef(Optional.of("v1"), Optional.empty(), "main"))
          .contains("refs/tags/v1");
      assertThat(
              GenericDeliveryReader.followedRef(Optional.empty(), Optional.of("abc1234"), "main"))
          .isEmpty();
    }
  }
}
