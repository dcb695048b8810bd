package io.tidemark.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidemark.cluster.kubernetes.lease.KubernetesShardLeases;
import io.tidemark.config.TidemarkConfig;
import io.tidemark.desired.sops.AgeKeys;
import io.tidemark.desired.sops.SopsDecryptor;
import io.tidemark.lease.LeaseSettings;
import io.tidemark.lease.ShardLeases;
import io.tidemark.lease.ShardSettings;
import io.tidemark.lease.SoleShards;
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

  void closeTargetFactory(@Disposes TargetFactory factory) {
    factory.close();
  }

  /**
   * The shards this replica reconciles: with leader election on, one Lease per shard shared with
   * the other replicas; else every shard.
   */
  @Produces
  @Singleton
  ShardLeases shards(TidemarkConfig config) {
    TidemarkConfig.LeaderElection election = config.leaderElection();
    int count = config.sharding().shards();
    if (!election.enabled()) {
      return new SoleShards(count, "this replica");
    }
    return KubernetesShardLeases.connect(
        new ShardSettings(
            new LeaseSettings(
                election.leaseName(),
                election
                    .leaseNamespace()
                    .orElseGet(() -> LeaseSettings.podNamespace(LeaseSettings.POD_NAMESPACE_FILE)),
                LeaseSettings.hostIdentity(),
                election.leaseDuration(),
                election.renewDeadline(),
                election.retryPeriod()),
            count,
            config.sharding().advertiseUrl().or(Wiring::podAddress)));
  }

  /** Where this pod's API answers: its IP (from the downward API's POD_IP) and the HTTP port. */
  private static java.util.Optional<String> podAddress() {
    String ip = System.getenv("POD_IP");
    if (ip == null || ip.isBlank()) {
      return java.util.Optional.empty();
    }
    int port =
        org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("quarkus.http.port", Integer.class)
            .orElse(8080);
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return java.util.Optional.of("http://" + host + ":" + port);
  }

  @Produces
  @Singleton
  SourceFactory sourceFactory() {
    return new SourceFactory();
  }
}
