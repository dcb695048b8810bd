package io.tidemark.api;

import io.tidemark.model.Mode;
import io.tidemark.model.TargetHealth;
import io.tidemark.model.Trigger;
import io.tidemark.reconcile.Reconcilers;
import io.tidemark.reconcile.TargetRunner;
import io.tidemark.report.DriftReport;
import io.tidemark.report.Reachability;
import io.tidemark.report.ReportStore;
import io.tidemark.report.RunResult;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The targets API: state, newest drift report, run history, and on-demand sync. */
@Path("/api/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {

  private final Reconcilers reconcilers;
  private final ReportStore store;
  private final BearerToken token;
  private final HolderViews holders;

  public TargetsResource(
      Reconcilers reconcilers, ReportStore store, BearerToken token, HolderViews holders) {
    this.reconcilers = reconcilers;
    this.store = store;
    this.token = token;
    this.holders = holders;
  }

  /**
   * Every target; one held by another replica as that replica sees it (unless this request was
   * forwarded by a replica, which then asks only for what this one holds).
   */
  @GET
  public List<Object> list(
      @HeaderParam(ReplicaHttp.FORWARDED_BY) String forwardedBy,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    Map<String, com.fasterxml.jackson.databind.JsonNode> remote =
        forwardedBy == null ? holders.views(authorization) : Map.of();
    List<Object> out = new ArrayList<>();
    reconcilers
        .runners()
        .forEach(
            r -> {
              var held = remote.get(r.settings().name());
              out.add(held != null ? held : view(r));
            });
    reconcilers.broken().forEach((name, why) -> out.add(brokenView(name, why)));
    return out;
  }

  @GET
  @Path("{name}")
  public TargetView get(@PathParam("name") String name) {
    return reconcilers
        .runner(name)
        .map(this::view)
        .or(
            () ->
                java.util.Optional.ofNullable(reconcilers.broken().get(name))
                    .map(why -> brokenView(name, why)))
        .orElseThrow(() -> notFound(name));
  }

  @GET
  @Path("{name}/drift")
  public DriftReport drift(@PathParam("name") String name) {
    runner(name);
    return store
        .latest(name)
        .orElseThrow(() -> new NotFoundException("target " + name + " has not run yet"));
  }

  @GET
  @Path("{name}/runs")
  public List<DriftReport> runs(
      @PathParam("name") String name,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    int count = Params.integer("limit", limit, 20, 1, Params.MAX_LIMIT);
    Instant until = Params.instant("before", before);
    runner(name);
    return store.runs(name, count, until);
  }

  @GET
  @Path("{name}/runs/{id}")
  public DriftReport run(@PathParam("name") String name, @PathParam("id") String id) {
    Params.runId(id);
    runner(name);
    return store.run(name, id).orElseThrow(() -> new NotFoundException("no run " + id));
  }

  /**
   * Starts a reconcile now. Answers 202 at once, or with {@code ?wait=SECONDS} waits up to that
   * long for the run's report and answers 200 with it.
   */
  @POST
  @Path("{name}/sync")
  public Response sync(
      @PathParam("name") String name,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("wait") String wait)
      throws Exception {
    int waitSeconds = Params.integer("wait", wait, 0, 0, Params.MAX_WAIT_SECONDS);
    if (authorization != null && !authorization.startsWith("Bearer ")) {
      throw new BadParameterException(
          HttpHeaders.AUTHORIZATION, "(not shown)", "Bearer followed by the API token");
    }
    if (!token.accepts(authorization)) {
      return Response.status(Response.Status.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .entity(Map.of("error", "a valid bearer token is required"))
          .build();
    }
    TargetRunner runner = runner(name);
    if (runner.settings().mode() == Mode.SUSPEND) {
      return Response.status(Response.Status.CONFLICT)
          .entity(Map.of("error", "target " + name + " is suspended"))
          .build();
    }
    if (!reconcilers.holds(name)) {
      // ShardForwarding handed the request to the holder when it knew one with an address.
      return reconcilers
          .holder(name)
          .map(
              h ->
                  ShardForwarding.unavailable(
                      "target "
                          + name
                          + " is reconciled by replica "
                          + h.identity()
                          + ", whose address is not on its Lease (set"
                          + " tidemark.sharding.advertise-url); nothing was started",
                      h.identity()))
          .orElseGet(
              () ->
                  ShardForwarding.unavailable(
                      "no replica holds the shard of target "
                          + name
                          + " right now; nothing was started, retry shortly",
                      ""));
    }
    CompletableFuture<DriftReport> run = reconcilers.syncNow(name, Trigger.api());
    if (waitSeconds <= 0) {
      return Response.accepted(Map.of("target", name, "status", "requested")).build();
    }
    try {
      return Response.ok(run.get(waitSeconds, TimeUnit.SECONDS)).build();
    } catch (java.util.concurrent.TimeoutException e) {
      // Still running: the caller reads its report from /drift or /runs when it ends.
      return Response.accepted(
              Map.of(
                  "target",
                  name,
                  "status",
                  "running",
                  "message",
                  "the run did not end within " + waitSeconds + "s"))
          .build();
    }
  }

  private TargetRunner runner(String name) {
    return reconcilers.runner(name).orElseThrow(() -> notFound(name));
  }

  private static NotFoundException notFound(String name) {
    return new NotFoundException("no target named " + name);
  }

  private TargetView view(TargetRunner runner) {
    var settings = runner.settings();
    DriftReport last = runner.lastReport();
    if (last == null) {
      last = store.latest(settings.name()).orElse(null);
    }
    return new TargetView(
        settings.name(),
        settings.kind(),
        settings.path(),
        settings.mode(),
        settings.prune(),
        state(runner, last),
        last == null ? TargetHealth.unknown("no run yet") : last.health(),
        runner.running(),
        last == null ? null : last.revision(),
        last == null ? null : last.id(),
        last == null ? null : last.startedAt(),
        last == null ? null : last.result(),
        last == null ? Map.of() : last.summary(),
        last == null ? "" : last.note(),
        last == null ? List.of() : last.errors(),
        reconcilers.feedOf(settings.name()).map(f -> f.name()).orElse(""),
        Reachability.of(last));
  }

  private static TargetView brokenView(String name, String why) {
    return new TargetView(
        name,
        "",
        "",
        Mode.SUSPEND,
        false,
        TargetState.FAILED,
        TargetHealth.unknown(why),
        false,
        null,
        null,
        null,
        null,
        Map.of(),
        "",
        List.of(why),
        "",
        Reachability.UNKNOWN);
  }

  static TargetState state(TargetRunner runner, DriftReport last) {
    if (runner.settings().mode() == Mode.SUSPEND) {
      return TargetState.SUSPENDED;
    }
    if (runner.running() && runner.settings().mode() == Mode.APPLY) {
      return TargetState.APPLYING;
    }
    if (last == null) {
      return TargetState.UNKNOWN;
    }
    RunResult result = last.result();
    return switch (result) {
      case IN_SYNC, APPLIED -> TargetState.IN_SYNC;
      case DRIFT_DETECTED -> TargetState.DRIFTED;
      default -> TargetState.FAILED;
    };
  }
}
