package io.tidemark.api.webhook;

import static io.tidemark.api.webhook.Fixtures.hmacHex;
import static io.tidemark.api.webhook.Fixtures.payload;
import static io.tidemark.api.webhook.Fixtures.request;
import static io.tidemark.api.webhook.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.PushListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookHandlerTest {

  private static final String SECRET = "handler-test-secret";

  /** Records calls; follows refs/heads/main (targets swarm, k8s) and refs/tags/v2.0.0 (k8s). */
  private static final class Listener implements PushListener {
    final List<String> refs = new ArrayList<>();
    final List<Trigger> triggers = new ArrayList<>();
    RuntimeException failure;

    @Override
    public List<String> pushed(String ref, Trigger trigger) {
      if (failure != null) {
        throw failure;
      }
      refs.add(ref);
      triggers.add(trigger);
      return switch (ref) {
        case "refs/heads/main" -> List.of("swarm", "k8s");
        case "refs/tags/v2.0.0" -> List.of("k8s");
        default -> List.of();
      };
    }
  }

  private final Listener listener = new Listener();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WebhookHandler handler =
      new WebhookHandler(
          Map.of(
              Provider.GITHUB,
                  Receiver.of(Provider.GITHUB, WebhookSecret.of(SECRET), Optional.empty()),
              Provider.BITBUCKET,
                  Receiver.of(Provider.BITBUCKET, WebhookSecret.of(SECRET), Optional.empty())),
          new DeliveryLog(100),
          listener,
          new WebhookMetrics(registry));

  private static WebhookRequest githubPush(String fixture, String deliveryId) {
    byte[] body = payload(fixture);
    return request(
        body,
        "X-GitHub-Event",
        "push",
        "X-GitHub-Delivery",
        deliveryId,
        "X-Hub-Signature-256",
        "sha256=" + hmacHex(SECRET, body));
  }

  private double count(String provider, Outcome outcome) {
    var counter =
        registry
            .find(WebhookMetrics.NAME)
            .tag("provider", provider)
            .tag("outcome", outcome.tag())
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void triggersTheTargetsOfAFollowedRefOnce() {
    WebhookReply reply = handler.handle("github", githubPush("github/push-main.json", "d-1"));
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.body()).isEqualTo(Map.of("triggered", List.of("swarm", "k8s")));
    assertThat(listener.triggers).containsExactly(Trigger.webhook("github", "d-1"));
    assertThat(count("github", Outcome.TRIGGERED)).isEqualTo(1);
  }

  @Test
  void answersADuplicateDeliveryWithoutASecondTrigger() {
    handler.handle("github", githubPush("github/push-main.json", "d-2"));
    WebhookReply again = handler.handle("github", githubPush("github/push-main.json", "d-2"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(Map.of("ignored", "duplicate delivery"));
    assertThat(listener.refs).hasSize(1);
    assertThat(count("github", Outcome.DUPLICATE)).isEqualTo(1);
  }

  @Test
  void letsTheRetryOfADeliveryWhoseTriggerFailedThrough() {
    listener.failure = new IllegalStateException("reconciler stopped");
    assertThatThrownBy(() -> handler.handle("github", githubPush("github/push-main.json", "d-3")))
        .isInstanceOf(IllegalStateException.class);
    listener.failure = null;
    assertThat(handler.handle("github", githubPush("github/push-main.json", "d-3")).status())
        .isEqualTo(202);
  }

  @Test
  void ignoresAPushToARefThatIsNotFollowed() {
    WebhookReply reply = handler.handle("github", githubPush("github/push-feature.json", "d-4"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body())
        .isEqualTo(Map.of("ignored", "ref refs/heads/feature/login is not followed"));
    assertThat(count("github", Outcome.IGNORED)).isEqualTo(1);
  }

  @Test
  void triggersTheUnionOfTargetsOfEveryChangedRef() {
    byte[] body = payload("bitbucket/cloud-push-tag-and-deleted-branch.json");
    WebhookReply reply =
        handler.handle(
            "bitbucket",
            request(
                body,
                "X-Event-Key",
                "repo:push",
                "X-Request-UUID",
                "b-1",
                "X-Hub-Signature",
                "sha256=" + hmacHex(SECRET, body)));
    assertThat(reply.body()).isEqualTo(Map.of("triggered", List.of("k8s")));
    assertThat(listener.refs).containsExactly("refs/tags/v2.0.0", "refs/heads/feature/old-ui");
  }

  @Test
  void answers404ForAnUnconfiguredOrUnknownProvider() {
    byte[] body = payload("gitlab/push-main.json");
    WebhookRequest push = request(body, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET);
    assertThat(handler.handle("gitlab", push).status()).isEqualTo(404);
    assertThat(handler.handle("sourcehut", push).status()).isEqualTo(404);
    assertThat(handler.handle("GitHub", push).status()).isEqualTo(404);
    assertThat(listener.refs).isEmpty();
    assertThat(count("gitlab", Outcome.DISABLED)).isEqualTo(1);
    assertThat(count("unknown", Outcome.DISABLED)).isEqualTo(2);
  }

  @Test
  void answers401AndTriggersNothingForAWrongSignature() {
    byte[] body = payload("github/push-main.json");
    WebhookReply reply =
        handler.handle(
            "github",
            request(
                body,
                "X-GitHub-Event",
                "push",
                "X-GitHub-Delivery",
                "d-5",
                "X-Hub-Signature-256",
                "sha256=" + hmacHex("guess", body)));
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().toString()).doesNotContain(SECRET);
    assertThat(listener.refs).isEmpty();
    // A rejected request does not burn its delivery id: the genuine one still goes through.
    assertThat(handler.handle("github", githubPush("github/push-main.json", "d-5")).status())
        .isEqualTo(202);
  }

  @Test
  void answers400ForMalformedJsonWithAValidSignature() {
    byte[] body = utf8("{\"ref\": \"refs/heads/main\"");
    WebhookReply reply =
        handler.handle(
            "github",
            request(
                body,
                "X-GitHub-Event",
                "push",
                "X-GitHub-Delivery",
                "d-6",
                "X-Hub-Signature-256",
                "sha256=" + hmacHex(SECRET, body)));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(listener.refs).isEmpty();
  }

  @Test
  void answers413ForABodyOverOneMebibyteEvenWhenSigned() {
    byte[] body = new byte[WebhookHandler.MAX_BODY_BYTES + 1];
    WebhookReply reply =
        handler.handle(
            "github",
            request(
                body,
                "X-GitHub-Event",
                "push",
                "X-Hub-Signature-256",
                "sha256=" + hmacHex(SECRET, body)));
    assertThat(reply.status()).isEqualTo(413);
    assertThat(count("github", Outcome.TOO_LARGE)).isEqualTo(1);
  }

  @Test
  void answersAPingWithoutTriggering() {
    byte[] body = payload("github/ping.json");
    WebhookReply reply =
        handler.handle(
            "github",
            request(
                body,
                "X-GitHub-Event",
                "ping",
                "X-GitHub-Delivery",
                "d-7",
                "X-Hub-Signature-256",
                "sha256=" + hmacHex(SECRET, body)));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(Map.of("ignored", "ping"));
    assertThat(listener.refs).isEmpty();
  }

  @Test
  void tagsRefusedBodiesByTheProviderInTheirPath() {
    assertThat(RefusedBodyCounter.providerTag("/api/webhooks/gitea")).isEqualTo("gitea");
    assertThat(RefusedBodyCounter.providerTag("/api/webhooks/gitea/x")).isEqualTo("gitea");
    assertThat(RefusedBodyCounter.providerTag("/api/webhooks/evil%0a")).isEqualTo("unknown");
  }

  @Test
  void keepsLogLinesOnOneLine() {
    assertThat(WebhookHandler.printable("id\nFAKE LINE")).isEqualTo("id?FAKE LINE");
    assertThat(WebhookHandler.printable("x".repeat(500))).hasSize(203);
  }
}
