package io.tidemark.health;

import io.tidemark.reconcile.Reconcilers;
import io.tidemark.reconcile.RepositoryFeed;
import io.tidemark.reconcile.TargetRunner;
import io.tidemark.report.Reachability;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the service can serve: the API, the page and webhooks answer whatever the state of
 * the clusters, so one unreachable cluster never takes Tidemark out of its Service. Answers from
 * what the service already knows (each repository's last fetch, each target's last run), with no
 * request per target per probe; one data entry per repository and per target says how each is.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

  private final Reconcilers reconcilers;

  public ReadinessCheck(Reconcilers reconcilers) {
    this.reconcilers = reconcilers;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("tidemark").up();
    Map<String, RepositoryFeed> feeds = reconcilers.feeds();
    if (feeds.isEmpty()) {
      response.withData("git", "not configured");
    }
    feeds.forEach(
        (name, feed) -> {
          String key = name.equals(Reconcilers.DEFAULT_REPO) ? "git" : "git." + name;
          String error = feed.source().lastError();
          if (error.isEmpty()) {
            response.withData(key, "ok " + feed.source().url());
          } else {
            boolean usable = feed.source().current().isPresent();
            response.withData(
                key, (usable ? "fetch failing, using last revision: " : "down: ") + error);
          }
        });
    reconcilers
        .broken()
        .forEach((name, why) -> response.withData("target." + name, "cannot start: " + why));
    for (TargetRunner runner : reconcilers.runners()) {
      response.withData("target." + runner.settings().name(), describe(runner));
    }
    return response.build();
  }

  private static String describe(TargetRunner runner) {
    var last = runner.lastReport();
    return switch (Reachability.of(last)) {
      case REACHABLE -> "ok";
      case UNREACHABLE -> "unreachable: " + String.join("; ", last.errors());
      case UNKNOWN -> last == null ? "not checked yet" : "not checked: " + last.result().tag();
    };
  }
}
