package io.tidemark.health;

import io.tidemark.cluster.TargetException;
import io.tidemark.reconcile.ObservedSource;
import io.tidemark.reconcile.Reconcilers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when every target's cluster answers and the Git source has a revision to work from; one
 * data entry per checked thing, saying why when it is not.
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
    boolean up = true;
    ObservedSource source = reconcilers.source().orElse(null);
    if (source == null) {
      response.withData("git", "not configured");
    } else if (!source.lastError().isEmpty()) {
      // A fetch error with an earlier revision at hand leaves the service useful: say it, stay
      // ready.
      boolean usable = source.current().isPresent();
      up &= usable;
      response.withData(
          "git", (usable ? "fetch failing, using last revision: " : "down: ") + source.lastError());
    } else {
      response.withData("git", "ok " + source.url());
    }
    for (var entry : reconcilers.broken().entrySet()) {
      up = false;
      response.withData("target." + entry.getKey(), "cannot start: " + entry.getValue());
    }
    for (var runner : reconcilers.runners()) {
      String name = runner.settings().name();
      try {
        reconcilers.target(name).orElseThrow().ping();
        response.withData("target." + name, "ok");
      } catch (TargetException e) {
        up = false;
        response.withData("target." + name, "unreachable: " + e.getMessage());
      }
    }
    return response.status(up).build();
  }
}
