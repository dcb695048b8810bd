package io.tidemark.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidemark.cluster.kubernetes.lease.LeaseLeadership;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.lease.Leadership;
import io.tidemark.lease.LeaseSettings;
import io.tidemark.lease.SoleReplica;
import io.tidemark.report.NotificationChannel;
import io.tidemark.report.NotifiedStore;
import io.tidemark.report.Notifier;
import io.tidemark.report.ReconcileMetrics;
import io.tidemark.report.ReportStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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
  Notifier notifier(TidemarkConfig config, ObjectMapper json) {
    List<NotificationChannel> channels = new ArrayList<>();
    config
        .notifications()
        .forEach(
            (name, n) ->
                channels.add(
                    new NotificationChannel(
                        name,
                        n.url(),
                        NotificationChannel.Format.valueOf(n.format().name()),
                        n.events().stream()
                            .map(e -> NotificationChannel.Event.valueOf(e.name()))
                            .collect(Collectors.toSet()),
                        n.secretFile().map(file -> secret(name, file)),
                        n.attempts(),
                        n.backoff(),
                        n.timeout())));
    return new Notifier(
        channels,
        json,
        new NotifiedStore(java.util.Optional.of(config.dataDir().resolve("notified.json")), json));
  }

  void closeNotifier(@Disposes Notifier notifier) {
    notifier.close();
  }

  private static String secret(String channel, Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read tidemark.notifications." + channel + ".secret-file " + file, e);
    }
  }

  @Produces
  @Singleton
  TargetFactory targetFactory(TidemarkConfig config) {
    SopsDecryptor sops;
    try {
      // sops' own variables count too, so a key handed over as SOPS_AGE_KEY_FILE just works.
      sops =
          new SopsDecryptor(
              AgeKeys.load(config.sops().ageKeyFile().map(Path::of), System.getenv()));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the age keys of tidemark.sops.age-key-file: " + e.getMessage(), e);
    }
    return new TargetFactory(sops, HelmCharts.source(config));
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
