package io.tidemark.api;

import io.tidemark.model.ChangeType;
import io.tidemark.model.Mode;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.TargetHealth;
import io.tidemark.report.Reachability;
import io.tidemark.report.RunResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One target as {@code GET /api/targets} lists it: its sync state (does the cluster match Git) and
 * its health (do its objects run as wanted), two separate dimensions as in Argo CD; the repository
 * it reads and whether its cluster answered its newest run.
 */
public record TargetView(
    String name,
    String kind,
    String path,
    Mode mode,
    boolean prune,
    TargetState state,
    TargetHealth health,
    boolean running,
    RevisionInfo revision,
    String lastRunId,
    Instant lastRunAt,
    RunResult lastResult,
    Map<ChangeType, Integer> summary,
    String note,
    List<String> errors,
    String repository,
    Reachability reachability) {}
