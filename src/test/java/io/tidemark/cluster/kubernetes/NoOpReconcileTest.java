package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.ChangeType;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A no-op reconcile of 1,000 objects sends one list per kind and no dry-run, while every change, in
 * Git or out of band, is still compared afresh. On generated objects held by the recording double;
 * the requests are counted by the target itself.
 */
class NoOpReconcileTest {

  private static final int OBJECTS = 1_000;
  private static final RevisionInfo FIRST = new RevisionInfo("c1", "a", "m", null);
  private static final RevisionInfo SECOND = new RevisionInfo("c2", "a", "m", null);
  private static final ObjectKey DEPLOYMENT =
      new ObjectKey("Deployment.apps", "team-4", "obj-00004");
  private static final ObjectKey CONFIG = new ObjectKey("ConfigMap", "team-0", "obj-00010");

  @TempDir Path repo;
  private final RecordingKubeApi api = new RecordingKubeApi();
  private final KubernetesTarget target =
      new KubernetesTarget("shop", "shop", api, folder -> "", Duration.ofMillis(10));

  @BeforeEach
  void cluster() throws Exception {
    GeneratedCluster.writeManifests(repo, OBJECTS);
    GeneratedCluster.seed(api, "shop", "shop", target.loader().load(repo, ".", FIRST));
  }

  @Test
  void theSecondNoOpReconcileSendsOneListPerKindAndNoDryRun() throws Exception {
    Plan first = reconcile(FIRST);
    ApiRequests firstRequests = target.requests();
    Plan second = reconcile(FIRST);
    ApiRequests secondRequests = target.requests();

    assertThat(first.drifted()).isFalse();
    assertThat(firstRequests.of(ApiVerb.DRY_RUN)).isEqualTo(OBJECTS);
    assertThat(second.drifted()).isFalse();
    assertThat(second.changes()).hasSize(OBJECTS);
    assertThat(secondRequests.of(ApiVerb.DRY_RUN)).isZero();
    assertThat(secondRequests.of(ApiVerb.LIST)).isEqualTo(GeneratedCluster.KINDS.size());
    assertThat(secondRequests.total()).isLessThanOrEqualTo(GeneratedCluster.KINDS.size() + 5);
  }

  @Test
  void aNewCommitWithTheSameContentSendsNoDryRun() throws Exception {
    reconcile(FIRST);

    Plan plan = reconcile(SECOND);

    assertThat(plan.drifted()).isFalse();
    assertThat(target.requests().of(ApiVerb.DRY_RUN)).isZero();
  }

  @Test
  void anOutOfBandEditIsFoundByTheNextReconcile() throws Exception {
    reconcile(FIRST);
    api.edit(DEPLOYMENT, tree -> spec(tree).put("replicas", 5)); // kubectl scale --replicas=5

    Plan plan = reconcile(FIRST);

    assertThat(target.requests().of(ApiVerb.DRY_RUN)).isEqualTo(1);
    assertThat(api.calls("dry-run")).last().isEqualTo("dry-run " + DEPLOYMENT);
    assertThat(plan.writes())
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.key()).isEqualTo(DEPLOYMENT);
              assertThat(change.diffs()).containsExactly(new FieldDiff("spec.replicas", 2, 5));
            });
  }

  @Test
  void aDriftLeftInDetectModeIsReportedAgainWithoutAnotherDryRun() throws Exception {
    reconcile(FIRST);
    api.edit(DEPLOYMENT, tree -> spec(tree).put("replicas", 5));
    reconcile(FIRST);

    Plan again = reconcile(FIRST);

    assertThat(target.requests().of(ApiVerb.DRY_RUN)).isZero();
    assertThat(again.writes())
        .singleElement()
        .satisfies(
            c -> assertThat(c.diffs()).containsExactly(new FieldDiff("spec.replicas", 2, 5)));
  }

  @Test
  void aChangeInGitIsComparedAfresh() throws Exception {
    reconcile(FIRST);
    GeneratedCluster.editManifest(repo, 10, "debug");
    Map<String, Object> wouldStore = Trees.mutableCopy(api.live.get(CONFIG));
    data(wouldStore).put("LOG_LEVEL", "debug");
    api.dryRuns.put(CONFIG, DryRunResult.accepted(wouldStore));

    Plan plan = reconcile(SECOND);

    assertThat(target.requests().of(ApiVerb.DRY_RUN)).isEqualTo(1);
    assertThat(plan.writes())
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change.type()).isEqualTo(ChangeType.UPDATE);
              assertThat(change.diffs())
                  .containsExactly(new FieldDiff("data.LOG_LEVEL", "debug", "info"));
            });
  }

  @Test
  void anObjectJustAppliedIsInSyncWithoutADryRun() throws Exception {
    reconcile(FIRST);
    api.edit(DEPLOYMENT, tree -> spec(tree).put("replicas", 5));
    Plan drifted = reconcile(FIRST);

    ApplyResult applied = target.apply(drifted, FIRST, true);
    Plan after = reconcile(FIRST);

    assertThat(applied.results()).allMatch(r -> !r.failed());
    assertThat(after.drifted()).isFalse();
    assertThat(target.requests().of(ApiVerb.DRY_RUN)).isZero();
  }

  /** What a reconcile does up to its plan: render, snapshot, pair, compare. */
  private Plan reconcile(RevisionInfo revision) throws Exception {
    DesiredState desired = target.loader().load(repo, ".", revision);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> tree) {
    return (Map<String, Object>) tree.get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(Map<String, Object> tree) {
    return (Map<String, Object>) tree.get("data");
  }
}
