package io.tidemark.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.report.ReconcileMetrics;
import io.tidemark.report.ReportStore;
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

  @Produces
  @Singleton
  SourceFactory sourceFactory() {
    return new SourceFactory();
  }
}
