package io.tidemark.cluster.swarm;

import io.tidemark.cluster.Target;
import io.tidemark.cluster.TargetException;
import io.tidemark.concurrent.Workers;
import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.diff.Differ;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredObject;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.LiveObject;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectHealth.HealthStatus;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trees;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A Docker Swarm stack reconciled through the Engine API: reads the stack's owned services,
 * networks, configs and secrets, compares them with what Git wants, and writes only what differs.
 */
public final class SwarmTarget implements Target {

  /**
   * Health is read again after 100 ms, then less and less often down to every 400 ms: a change the
   * engine finishes at once is reported at once, a long rollout costs a few requests a second.
   */
  private static final Duration FIRST_POLL = Duration.ofMillis(100);

  private static final Duration MAX_POLL = Duration.ofMillis(400);

  /**
   * Concurrent writes per target: enough to hide request latency, few enough to spare the engine.
   */
  private static final int WRITERS = 8;

  private static final Duration IDLE_WRITER = Duration.ofSeconds(5);

  private final String name;
  private final Duration convergeTimeout;
  private final java.util.concurrent.ExecutorService writers;
  private final DockerApi api;
  private final DesiredStateLoader loader;
  private final Differ differ;
  private final SwarmLiveReader reader;
  private final SwarmWriter writer;
  private final ServiceConvergence convergence;

  public SwarmTarget(
      String name, String stack, DockerApi api, DesiredStateLoader loader, Differ differ) {
    this(name, stack, api, loader, differ, Duration.ofMinutes(2), false);
  }

  public SwarmTarget(
      String name,
      String stack,
      DockerApi api,
      DesiredStateLoader loader,
      Differ differ,
      Duration convergeTimeout) {
    this(name, stack, api, loader, differ, convergeTimeout, false);
  }

  /**
   * @param convergeTimeout how long an apply waits for written services before it removes the
   *     configs, secrets and networks they stopped using
   * @param adopt whether the target adopts what {@code docker stack deploy} made: networks Git
   *     declares count as owned, CLI-named configs and secrets as superseded
   */
  public SwarmTarget(
      String name,
      String stack,
      DockerApi api,
      DesiredStateLoader loader,
      Differ differ,
      Duration convergeTimeout,
      boolean adopt) {
    this.name = name;
    this.convergeTimeout = convergeTimeout;
    // Threads end after a few idle seconds: hundreds of targets do not keep eight threads each.
    this.writers = Workers.fixed("tidemark-swarm-" + name, WRITERS, IDLE_WRITER);
    this.api = api;
    this.loader = loader;
    this.differ = differ;
    this.reader = new SwarmLiveReader(api, name, stack, adopt, writers);
    this.writer = new SwarmWriter(api);
    this.convergence = new ServiceConvergence(api);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DesiredStateLoader loader() {
    return loader;
  }

  @Override
  public LiveState snapshot(Set<ObjectKey> desired) throws TargetException {
    return reader.read(desired);
  }

  @Override
  public List<FieldDiff> compare(DesiredObject desired, LiveObject live) {
    return differ.compare(desired, live);
  }

  @Override
  public Comparator<ObjectKey> applyOrder() {
    return SwarmKind.ORDER;
  }

  /**
   * Creates and updates first; then, before removing configs, secrets or networks that left Git,
   * waits until the services just written that referred to them have converged: a service whose
   * update rolls back needs the old config or secret it pointed at, so each is kept while a written
   * service that used it is not healthy (services that never used it are not waited for); services
   * that left Git are removed once every written service converged (make before break).
   */
  @Override
  public ApplyResult apply(Plan plan, RevisionInfo revision, boolean prune) {
    List<Change> deletes =
        plan.writes().stream().filter(c -> c.type() == ChangeType.DELETE).toList();
    List<Change> writes =
        plan.writes().stream().filter(c -> c.type() != ChangeType.DELETE).toList();
    // Networks, configs and secrets go first, and with them every service that uses none of
    // those being written; the services that do follow once they exist.
    Set<String> pending =
        writes.stream()
            .filter(c -> !SwarmKind.SERVICE.is(c.key()))
            .map(c -> c.key().name())
            .collect(Collectors.toSet());
    List<Change> first = new ArrayList<>();
    List<Change> then = new ArrayList<>();
    for (Change change : writes) {
      boolean waits =
          SwarmKind.SERVICE.is(change.key())
              && FileReferences.uses(change.desired().spec()).stream().anyMatch(pending::contains);
      (waits ? then : first).add(change);
    }
    Map<ObjectKey, ObjectResult> done = new java.util.HashMap<>();
    writeAll(first).forEach(r -> done.put(r.key(), r));
    writeAll(then).forEach(r -> done.put(r.key(), r));
    List<ObjectResult> results = new ArrayList<>();
    writes.forEach(c -> results.add(done.get(c.key())));
    if (deletes.isEmpty()) {
      return new ApplyResult(results);
    }
    if (!prune) {
      deletes.forEach(
          d -> results.add(new ObjectResult(d.key(), ApplyOutcome.SKIPPED, "prune is off")));
      return new ApplyResult(results);
    }
    // What each written service referred to before this write: what a rollback would restore.
    // Only those that referred to a config or secret being deleted are waited for (a live spec
    // names networks by id, so a network being deleted waits for every written service).
    Set<String> leaving =
        deletes.stream()
            .filter(d -> !SwarmKind.SERVICE.is(d.key()))
            .map(d -> d.key().name())
            .collect(Collectors.toSet());
    boolean networkLeaving = deletes.stream().anyMatch(d -> SwarmKind.NETWORK.is(d.key()));
    Map<String, Set<String>> usedBefore = new java.util.HashMap<>();
    for (Change change : writes) {
      if (SwarmKind.SERVICE.is(change.key()) && change.live() != null) {
        Set<String> used = new java.util.HashSet<>(FileReferences.uses(change.live().spec()));
        used.retainAll(leaving);
        if (networkLeaving) {
          deletes.stream()
              .filter(d -> SwarmKind.NETWORK.is(d.key()))
              .forEach(d -> used.add(d.key().name()));
        }
        if (!used.isEmpty()) {
          usedBefore.put(change.key().name(), used);
        }
      }
    }
    // A service that left Git goes only once every written one converged (make before break: a
    // renamed service keeps its old self until the new one runs); a config or secret waits only
    // for the services that used it.
    boolean serviceLeaving = deletes.stream().anyMatch(d -> SwarmKind.SERVICE.is(d.key()));
    List<ObjectResult> awaited =
        serviceLeaving
            ? results
            : results.stream().filter(r -> usedBefore.containsKey(r.key().name())).toList();
    List<ObjectHealth> written =
        awaited.isEmpty()
            ? List.of()
            : awaitHealthy(plan, new ApplyResult(awaited), convergeTimeout);
    List<String> unsettled =
        written.stream()
            .filter(h -> h.status() != HealthStatus.HEALTHY)
            .map(h -> h.key().name())
            .filter(usedBefore::containsKey)
            .toList();
    for (Change delete : deletes) {
      boolean fileObject = !SwarmKind.SERVICE.is(delete.key());
      // Only the services that referred to it before may roll back onto it: a config is kept
      // for those, not for every service of the stack that has yet to converge.
      List<String> waiting =
          unsettled.stream()
              .filter(service -> usedBefore.get(service).contains(delete.key().name()))
              .toList();
      if (fileObject && !waiting.isEmpty()) {
        results.add(
            new ObjectResult(
                delete.key(),
                ApplyOutcome.SKIPPED,
                "kept until " + String.join(", ", waiting) + " converged: a rollback may need it"));
      } else {
        results.add(writer.write(delete));
      }
    }
    return new ApplyResult(results);
  }

  /**
   * Writes objects of one kind concurrently: they do not depend on each other, and the engine
   * serialises what it must. Results keep the plan's order.
   */
  private List<ObjectResult> writeAll(List<Change> changes) {
    if (changes.size() <= 1) {
      return changes.stream().map(writer::write).toList();
    }
    List<java.util.concurrent.Future<ObjectResult>> futures = new ArrayList<>();
    for (Change change : changes) {
      futures.add(writers.submit(() -> writer.write(change)));
    }
    List<ObjectResult> out = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        out.add(futures.get(i).get());
      } catch (java.util.concurrent.ExecutionException e) {
        out.add(ObjectResult.failed(changes.get(i).key(), String.valueOf(e.getCause())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.add(ObjectResult.failed(changes.get(i).key(), "interrupted"));
      }
    }
    return out;
  }

  @Override
  public List<ObjectHealth> awaitHealthy(Plan plan, ApplyResult applied, Duration timeout) {
    return awaitHealthy(plan, applied, timeout, () -> false);
  }

  @Override
  public List<ObjectHealth> awaitHealthy(
      Plan plan, ApplyResult applied, Duration timeout, BooleanSupplier stop) {
    Map<ObjectKey, ObjectHealth> health = new LinkedHashMap<>();
    Map<ObjectKey, Change> planned =
        plan.changes().stream().collect(Collectors.toMap(Change::key, c -> c, (a, b) -> a));
    for (ObjectResult result : applied.results()) {
      boolean written =
          result.outcome() == ApplyOutcome.CREATED || result.outcome() == ApplyOutcome.CONFIGURED;
      if (written && SwarmKind.SERVICE.is(result.key())) {
        health.put(result.key(), unchecked(planned.get(result.key()), result));
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    Duration pause = FIRST_POLL;
    while (true) {
      List<ObjectKey> open =
          health.values().stream()
              .filter(
                  h -> h.status() == HealthStatus.PROGRESSING || h.status() == HealthStatus.UNKNOWN)
              .map(ObjectHealth::key)
              .toList();
      if (open.isEmpty()) {
        return List.copyOf(health.values());
      }
      try {
        health.putAll(convergence.check(open, writer.rollouts));
      } catch (TargetException e) {
        open.forEach(k -> health.put(k, new ObjectHealth(k, HealthStatus.UNKNOWN, e.getMessage())));
      }
      boolean settled =
          health.values().stream()
              .noneMatch(
                  h ->
                      h.status() == HealthStatus.PROGRESSING || h.status() == HealthStatus.UNKNOWN);
      boolean stopped = stop.getAsBoolean() || Thread.currentThread().isInterrupted();
      if (settled || stopped || Instant.now().isAfter(deadline)) {
        return List.copyOf(health.values());
      }
      // A monitor period that ends before the next poll is checked when it ends.
      Duration poll = pause;
      Duration nap =
          convergence
              .nextDue()
              .map(due -> Duration.between(Instant.now(), due).plusMillis(5))
              .filter(untilDue -> untilDue.compareTo(poll) < 0)
              .orElse(poll);
      LockSupport.parkNanos(Math.max(0, nap.toNanos()));
      if (Thread.currentThread().isInterrupted()) {
        return List.copyOf(health.values()); // the reconcile is being stopped: say what is known
      }
      pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
    }
  }

  /**
   * A service just created with no replica wanted has nothing for the engine to converge: it is
   * healthy as written. Any other written service is yet to be checked.
   */
  private static ObjectHealth unchecked(Change change, ObjectResult result) {
    boolean created = result.outcome() == ApplyOutcome.CREATED && change != null;
    if (created && Long.valueOf(0).equals(replicas(change.desired().spec()))) {
      return new ObjectHealth(result.key(), HealthStatus.HEALTHY, "0/0 running");
    }
    return new ObjectHealth(result.key(), HealthStatus.UNKNOWN, "not checked");
  }

  private static Long replicas(Map<String, Object> spec) {
    Object replicas = Trees.at(spec, "Mode", "Replicated", "Replicas");
    return replicas instanceof Number n ? n.longValue() : null;
  }

  @Override
  public void ping() throws TargetException {
    Map<String, Object> info = api.getObject("/info");
    Object state = Trees.at(info, "Swarm", "LocalNodeState");
    if (!"active".equals(state)) {
      throw new TargetException(
          "Docker Engine at " + api.host() + " is not in swarm mode (state " + state + ")");
    }
    Object manager = Trees.at(info, "Swarm", "ControlAvailable");
    if (!Boolean.TRUE.equals(manager)) {
      throw new TargetException("Docker Engine at " + api.host() + " is not a swarm manager");
    }
  }
}
