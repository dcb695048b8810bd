package io.tidemark.target.swarm;

import io.tidemark.desired.DesiredStateLoader;
import io.tidemark.diff.Differ;
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
import io.tidemark.target.Target;
import io.tidemark.target.TargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A Docker Swarm stack reconciled through the Engine API: reads the stack's owned services,
 * networks, configs and secrets, compares them with what Git wants, and writes only what differs.
 */
public final class SwarmTarget implements Target {

  private static final Duration POLL = Duration.ofMillis(500);

  private final String name;
  private final DockerApi api;
  private final DesiredStateLoader loader;
  private final Differ differ;
  private final SwarmLiveReader reader;
  private final SwarmWriter writer;
  private final ServiceConvergence convergence;

  public SwarmTarget(
      String name, String stack, DockerApi api, DesiredStateLoader loader, Differ differ) {
    this.name = name;
    this.api = api;
    this.loader = loader;
    this.differ = differ;
    this.reader = new SwarmLiveReader(api, name, stack);
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
    return new LiveState(reader.read(desired));
  }

  @Override
  public List<FieldDiff> compare(DesiredObject desired, LiveObject live) {
    return differ.compare(desired, live);
  }

  @Override
  public Comparator<ObjectKey> applyOrder() {
    return SwarmKinds.ORDER;
  }

  @Override
  public ApplyResult apply(Plan plan, RevisionInfo revision, boolean prune) {
    List<ObjectResult> results = new ArrayList<>();
    for (Change change : plan.writes()) {
      if (change.type() == ChangeType.DELETE && !prune) {
        results.add(
            new ObjectResult(change.key(), io.tidemark.model.ApplyOutcome.SKIPPED, "prune is off"));
        continue;
      }
      results.add(writer.write(change));
    }
    return new ApplyResult(results);
  }

  @Override
  public List<ObjectHealth> awaitHealthy(Plan plan, ApplyResult applied, Duration timeout) {
    Map<ObjectKey, ObjectHealth> health = new LinkedHashMap<>();
    for (ObjectResult result : applied.results()) {
      boolean written =
          result.outcome() == io.tidemark.model.ApplyOutcome.CREATED
              || result.outcome() == io.tidemark.model.ApplyOutcome.CONFIGURED;
      if (written && result.key().kind().equals(SwarmKinds.SERVICE)) {
        health.put(
            result.key(), new ObjectHealth(result.key(), HealthStatus.UNKNOWN, "not checked"));
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      boolean settled = true;
      for (Map.Entry<ObjectKey, ObjectHealth> entry : health.entrySet()) {
        if (entry.getValue().status() == HealthStatus.HEALTHY
            || entry.getValue().status() == HealthStatus.DEGRADED) {
          continue;
        }
        entry.setValue(check(entry.getKey()));
        settled &=
            entry.getValue().status() != HealthStatus.PROGRESSING
                && entry.getValue().status() != HealthStatus.UNKNOWN;
      }
      if (settled || Instant.now().isAfter(deadline)) {
        return List.copyOf(health.values());
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private ObjectHealth check(ObjectKey key) {
    try {
      return convergence.check(key);
    } catch (TargetException e) {
      return new ObjectHealth(key, HealthStatus.UNKNOWN, e.getMessage());
    }
  }

  @Override
  public void ping() throws TargetException {
    Map<String, Object> info = api.getObject("/info");
    Object state = io.tidemark.model.Trees.at(info, "Swarm", "LocalNodeState");
    if (!"active".equals(state)) {
      throw new TargetException(
          "Docker Engine at " + api.host() + " is not in swarm mode (state " + state + ")");
    }
    Object manager = io.tidemark.model.Trees.at(info, "Swarm", "ControlAvailable");
    if (!Boolean.TRUE.equals(manager)) {
      throw new TargetException("Docker Engine at " + api.host() + " is not a swarm manager");
    }
  }
}
