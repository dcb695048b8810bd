package io.tidemark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidemark.diff.SecretMask;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.report.NotificationChannel.Event;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Tells outgoing webhooks about runs: drift detected (once per distinct drift, not every poll),
 * apply failed (once per distinct failure), recovered (the first successful run after a failed
 * one), health degraded (once per distinct set of degraded objects) and health recovered. What was
 * told survives a restart ({@link NotifiedStore}). Deciding happens on the reconcile thread,
 * sending on the notifier's own thread, with retries; payloads are built from reports, whose secret
 * values are already masked.
 */
public final class Notifier implements RunListener, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Notifier.class);

  private final List<Channel> channels;
  private final NotificationPayloads payloads;
  private final ObjectMapper canonical;
  private final ScheduledExecutorService scheduler;
  private final WebhookSender sender;
  private final Map<String, Memory> memory = new ConcurrentHashMap<>();
  private final NotifiedStore store;

  /** A channel with its own HTTP client (each has its own connect timeout). */
  private record Channel(NotificationChannel config, HttpClient client) {}

  /** What was last told about one target, so that the same news is not told twice. */
  private static final class Memory {
    String drift;
    String failure;
    RunResult failedWith;
    String health;

    NotifiedStore.Told told() {
      return new NotifiedStore.Told(drift, failure, failedWith, health);
    }
  }

  public Notifier(List<NotificationChannel> channels, ObjectMapper json) {
    this(channels, json, new NotifiedStore(java.util.Optional.empty(), json));
  }

  public Notifier(List<NotificationChannel> channels, ObjectMapper json, NotifiedStore store) {
    this.channels =
        channels.stream()
            .map(
                c ->
                    new Channel(
                        c,
                        HttpClient.newBuilder()
                            .connectTimeout(c.timeout())
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build()))
            .toList();
    this.payloads = new NotificationPayloads(json);
    this.canonical =
        json.copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, false);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tidemark-notify");
              t.setDaemon(true);
              return t;
            });
    this.sender = new WebhookSender(scheduler, () -> ThreadLocalRandom.current().nextDouble());
    this.store = store;
    store
        .load()
        .forEach(
            (target, told) -> {
              Memory m = new Memory();
              m.drift = told.drift();
              m.failure = told.failure();
              m.failedWith = told.failedWith();
              m.health = told.health();
              memory.put(target, m);
            });
  }

  public List<NotificationChannel> channels() {
    return channels.stream().map(Channel::config).toList();
  }

  @Override
  public void completed(DriftReport report) {
    if (channels.isEmpty()) {
      return;
    }
    Memory seen = memory.computeIfAbsent(report.target(), t -> new Memory());
    RunResult previousFailure;
    Set<Event> events = EnumSet.noneOf(Event.class);
    synchronized (seen) {
      previousFailure = seen.failedWith;
      NotifiedStore.Told before = seen.told();
      events.addAll(decide(seen, report));
      events.addAll(decideHealth(seen, report));
      if (!before.equals(seen.told())) {
        remember();
      }
    }
    for (Event event : events) {
      dispatch(event, report, event == Event.RECOVERED ? previousFailure : null);
    }
  }

  private List<Event> decide(Memory seen, DriftReport report) {
    List<Event> events = new ArrayList<>();
    RunResult result = report.result();
    if (result == RunResult.SUPERSEDED) {
      return events; // neither failed nor done: the newer run that ended its wait will tell
    }
    if (result == RunResult.INTERRUPTED) {
      return events; // a shutdown is neither a failure nor a success: the next run tells
    }
    if (result == RunResult.DRIFT_DETECTED) {
      String drift = fingerprint(report.drifted(), false);
      if (!drift.equals(seen.drift)) {
        events.add(Event.DRIFT);
        seen.drift = drift;
      }
    } else if (result == RunResult.IN_SYNC || result == RunResult.APPLIED) {
      seen.drift = null; // the drift is gone: the same drift coming back is news again
    }
    if (result == RunResult.APPLY_FAILED) {
      String failure =
          fingerprint(NotificationPayloads.concerned(Event.APPLY_FAILED, report), true);
      if (!failure.equals(seen.failure)) {
        events.add(Event.APPLY_FAILED);
        seen.failure = failure;
      }
    }
    if (result.successful()) {
      if (seen.failedWith != null) {
        events.add(Event.RECOVERED);
      }
      seen.failedWith = null;
      seen.failure = null;
    } else {
      seen.failedWith = result;
    }
    return events;
  }

  /**
   * Degraded health is told once per distinct set of degraded objects, and its end once; health
   * that was not observed, or only progressing, tells nothing.
   */
  private List<Event> decideHealth(Memory seen, DriftReport report) {
    HealthStatus status = report.health().status();
    if (status == HealthStatus.DEGRADED) {
      List<String> degraded =
          report.objects().stream()
              .filter(o -> o.health() == HealthStatus.DEGRADED)
              .map(ObjectReport::key)
              .sorted()
              .toList();
      String fingerprint = SecretMask.sha256(String.join("\n", degraded));
      if (!fingerprint.equals(seen.health)) {
        seen.health = fingerprint;
        return List.of(Event.HEALTH_DEGRADED);
      }
    } else if (status == HealthStatus.HEALTHY && seen.health != null) {
      seen.health = null;
      return List.of(Event.HEALTH_RECOVERED);
    }
    return List.of();
  }

  private void remember() {
    Map<String, NotifiedStore.Told> all = new java.util.TreeMap<>();
    memory.forEach((target, m) -> all.put(target, m.told()));
    store.save(all);
  }

  /** A digest of the objects concerned: keys and change types, plus diffs or apply verdicts. */
  private String fingerprint(List<ObjectReport> objects, boolean verdicts) {
    List<List<Object>> entries = new ArrayList<>();
    objects.stream()
        .sorted(Comparator.comparing(ObjectReport::key))
        .forEach(
            o ->
                entries.add(
                    verdicts
                        ? List.of(
                            o.key(),
                            o.change(),
                            String.valueOf(o.outcome()),
                            String.valueOf(o.health()))
                        : List.of(o.key(), o.change(), o.diffs())));
    try {
      return SecretMask.sha256(canonical.writeValueAsString(entries));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report cannot be serialised", e);
    }
  }

  private void dispatch(Event event, DriftReport report, RunResult previous) {
    String id = UUID.randomUUID().toString();
    for (Channel channel : channels) {
      if (!channel.config().events().contains(event)) {
        continue;
      }
      try {
        byte[] body = payloads.body(channel.config().format(), event, report, previous);
        sender.send(
            new WebhookSender.Delivery(channel.config(), channel.client(), event.tag(), id, body));
      } catch (JsonProcessingException | RuntimeException e) {
        LOG.warnf("notification %s to %s not sent: %s", event.tag(), channel.config().name(), e);
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
