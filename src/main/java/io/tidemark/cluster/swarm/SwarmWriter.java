package io.tidemark.cluster.swarm;

import io.tidemark.cluster.TargetException;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.Change;
import io.tidemark.model.ChangeType;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Trees;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes one planned change to the engine: creates, updates at the version that was compared, and
 * deletes. Networks, configs and secrets cannot change in place on Swarm, so only their labels are
 * updated; content changes arrive as new, hash-named objects.
 */
final class SwarmWriter {

  private static final Logger LOG = Logger.getLogger(SwarmWriter.class);

  private final DockerApi api;

  /** Services whose update must start a rollout before their health means anything. */
  final Map<String, Rollout> rollouts = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A rollout asked for at {@code sentAt}, when the service's last update had started at {@code
   * previousStart} and was in {@code previousState} (both empty when it never had one).
   */
  record Rollout(String previousStart, String previousState, Instant sentAt) {}

  SwarmWriter(DockerApi api) {
    this.api = api;
  }

  ObjectResult write(Change change) {
    ObjectKey key = change.key();
    try {
      return switch (change.type()) {
        case CREATE -> create(change);
        case UPDATE, ADOPT -> update(change);
        case DELETE -> delete(key);
        case IN_SYNC -> ObjectResult.of(key, ApplyOutcome.UNCHANGED);
        case CONFLICT ->
            new ObjectResult(key, ApplyOutcome.SKIPPED, "a live object of that name is not ours");
      };
    } catch (TargetException e) {
      LOG.debugf("%s %s failed: %s", change.type(), key, e.getMessage());
      return ObjectResult.failed(key, e.getMessage());
    }
  }

  private ObjectResult create(Change change) throws TargetException {
    String kind = change.key().kind();
    Map<String, Object> spec = change.desired().spec();
    if (kind.equals(SwarmKind.SERVICE.kind())) {
      spec = Trees.mutableCopy(spec);
      resolveFileIds(spec);
    }
    api.post("/" + SwarmKind.collection(kind) + "/create", spec);
    LOG.debugf("created %s", change.key());
    return ObjectResult.of(change.key(), ApplyOutcome.CREATED);
  }

  private ObjectResult update(Change change) throws TargetException {
    ObjectKey key = change.key();
    String path = "/" + SwarmKind.collection(key.kind()) + "/" + DockerApi.query(key.name());
    Map<String, Object> spec = Trees.mutableCopy(change.desired().spec());
    switch (SwarmKind.of(key.kind())) {
      case SERVICE -> {
        keepForceUpdate(spec, change.live().spec());
        resolveFileIds(spec);
        if (change.diffs().stream().anyMatch(d -> d.path().startsWith("TaskTemplate"))) {
          // A new task template starts a rolling update a moment after the write; until then the
          // old tasks still run and would look converged. Remember which update came before.
          Map<String, Object> before = api.getObject(path);
          Object started = Trees.at(before, "UpdateStatus", "StartedAt");
          Object state = Trees.at(before, "UpdateStatus", "State");
          rollouts.put(
              key.name(),
              new Rollout(
                  started == null ? "" : started.toString(),
                  state == null ? "" : state.toString(),
                  Instant.now()));
        }
      }
      case CONFIG, SECRET -> {
        // The engine accepts label changes only; the data must be sent back unchanged.
        Map<String, Object> live = Trees.mutableCopy(change.live().spec());
        live.put("Labels", spec.get("Labels"));
        spec = live;
      }
      default ->
          throw new TargetException(
              key
                  + " differs but networks cannot be updated in place (nor relabelled): "
                  + "rename it in Git, or remove it by hand so that it is recreated");
    }
    SwarmIgnored.keepLive(spec, change.live().spec(), change.ignoredPaths());
    try {
      api.post(path + "/update?version=" + change.live().version(), spec);
    } catch (DockerApiException e) {
      if (!e.getMessage().contains("out of sequence")) {
        throw e;
      }
      // The object moved since the snapshot (the engine itself bumps a new service's version):
      // the comparison was of the spec, which did not change, so send it at the current version.
      Object version = Trees.at(api.getObject(path), "Version", "Index");
      api.post(path + "/update?version=" + version, spec);
    }
    LOG.debugf("%s %s", change.type() == ChangeType.ADOPT ? "adopted" : "updated", key);
    return change.type() == ChangeType.ADOPT
        ? new ObjectResult(key, ApplyOutcome.CONFIGURED, "adopted from " + change.owner())
        : ObjectResult.of(key, ApplyOutcome.CONFIGURED);
  }

  /**
   * {@code ForceUpdate} is a restart counter, not desired state: sending a lower value than live
   * would itself restart every task, so the live value is kept.
   */
  @SuppressWarnings("unchecked")
  private static void keepForceUpdate(Map<String, Object> spec, Map<String, Object> live) {
    Object force = Trees.at(live, "TaskTemplate", "ForceUpdate");
    if (force != null && spec.get("TaskTemplate") instanceof Map<?, ?> template) {
      ((Map<String, Object>) template).put("ForceUpdate", force);
    }
  }

  /**
   * Git names configs and secrets; the engine wants their ids too, as the docker CLI sends them.
   * They are looked up at write time because a config created earlier in this same apply has a new
   * id.
   */
  @SuppressWarnings("unchecked")
  private void resolveFileIds(Map<String, Object> spec) throws TargetException {
    Object container = Trees.at(spec, "TaskTemplate", "ContainerSpec");
    if (!(container instanceof Map<?, ?> c)) {
      return;
    }
    resolve((Map<String, Object>) c, "Configs", "configs", "ConfigName", "ConfigID");
    resolve((Map<String, Object>) c, "Secrets", "secrets", "SecretName", "SecretID");
  }

  @SuppressWarnings("unchecked")
  private void resolve(
      Map<String, Object> container, String field, String collection, String nameKey, String idKey)
      throws TargetException {
    if (!(container.get(field) instanceof java.util.List<?> refs) || refs.isEmpty()) {
      return;
    }
    Map<String, String> ids = new java.util.HashMap<>();
    for (Map<String, Object> object : api.getArray("/" + collection)) {
      ids.put(String.valueOf(Trees.at(object, "Spec", "Name")), String.valueOf(object.get("ID")));
    }
    for (Object ref : refs) {
      Map<String, Object> r = (Map<String, Object>) ref;
      String name = String.valueOf(r.get(nameKey));
      String id = ids.get(name);
      if (id == null) {
        throw new TargetException(collection + " " + name + " does not exist");
      }
      r.put(idKey, id);
    }
  }

  private ObjectResult delete(ObjectKey key) throws TargetException {
    String path = "/" + SwarmKind.collection(key.kind()) + "/" + DockerApi.query(key.name());
    try {
      api.delete(path);
    } catch (DockerApiException e) {
      if (!e.notFound()) {
        throw e;
      }
      // Already gone (deleted between snapshot and apply): the desired end state holds.
    }
    LOG.debugf("deleted %s", key);
    return ObjectResult.of(key, ApplyOutcome.DELETED);
  }
}
