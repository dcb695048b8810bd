package io.tidemark.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.lease.Leadership;
import io.tidemark.lease.LeaseSettings;
import io.tidemark.lease.SoleReplica;
import io.tidemark.report.ReconcileMetrics;
import io.tidemark.report.ReportStore;
import io.tidemark.target.kubernetes.lease.LeaseLeadership;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one place where plain classes become CDI beans, built from configuration. */
public class Wiring {

  @Produces
  @Singleton
  ReportStore reportStore(TidemarkConfig config, ObjectMapper json) {
    return new ReportStore(
        config.dataDir().resolve("reports"),
        json,
        config.history().maxRuns(),
        config.history().maxAge(),
        Clock.systemUTC());
  }

  @Produces
  @Singleton
  ReconcileMetrics metrics(MeterRegistry registry) {
    return new ReconcileMetrics(registry);
  }

  @Produces
  @Singleton
  TargetFactory targetFactory() {
    return new TargetFactory();
  }

  /** The replica's leadership: a Lease election when enabled, else it always leads. */
  @Produces
  @Singleton
  Leadership leadership(TidemarkConfig config) {
    TidemarkConfig.LeaderElection election = config.leaderElection();
    if (!election.enabled()) {
      return new SoleReplica();
    }
    return LeaseLeadership.connect(
        new LeaseSettings(
            election.leaseName(),
            election
                .leaseNamespace()
                .orElseGet(() -> LeaseSettings.podNamespace(LeaseSettings.POD_NAMESPACE_FILE)),
            LeaseSettings.hostIdentity(),
            election.leaseDuration(),
            election.renewDeadline(),
            election.retryPeriod()));
  }

  @Produces
  @Singleton
  SourceFactory sourceFactory() {
    return new SourceFactory();
  }
}
