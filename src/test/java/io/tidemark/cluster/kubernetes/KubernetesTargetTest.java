package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.diff.Pairing;
import io.tidemark.diff.Planner;
import io.tidemark.model.ApplyOutcome;
import io.tidemark.model.ApplyResult;
import io.tidemark.model.Change;
import io.tidemark.model.DesiredState;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Labels;
import io.tidemark.model.LiveState;
import io.tidemark.model.ObjectHealth;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.ObjectResult;
import io.tidemark.model.Plan;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trees;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes target wired end to end (load, snapshot, plan, apply, prune, health) against a
 * recording double of our KubeApi port that replays the kube-apiserver responses in fixtures.
 */
class KubernetesTargetTest {

  private static final RevisionInfo REVISION = new RevisionInfo("abc123", "a", "m", null);
  private static final ObjectKey NAMESPACE = ObjectKey.of("Namespace", "shop");
  private static final ObjectKey WEB = new ObjectKey("Deployment.apps", "shop", "web");
  private static final ObjectKey CONFIG = new ObjectKey("ConfigMap", "shop", "web-config");
  private static final ObjectKey SECRET = new ObjectKey("Secret", "shop", "mysql-credentials");
  private static final ObjectKey JOB = new ObjectKey("Job.batch", "shop", "db-migrate");
  private static final ObjectKey SERVICE = new ObjectKey("Service", "shop", "web");
  private static final ObjectKey CRON = new ObjectKey("CronJob.batch", "shop", "backup");
  private static final ObjectKey COPIED = new ObjectKey("ConfigMap", "shop", "copied-label");

  @TempDir Path repo;
  private final RecordingKubeApi api = new RecordingKubeApi();
  private final KubernetesTarget target =
      new KubernetesTarget("shop", "shop", api, folder -> "", Duration.ofMillis(10));
  private final InventoryStore inventory = new InventoryStore(api, "shop", "shop");

  @BeforeEach
  void cluster() throws Exception {
    recorded("deployment-scaled", WEB);
    recorded("configmap-changed", CONFIG);
    recorded("secret-stringdata", SECRET);
    api.put(owned(Fixtures.json("job-immutable", "live.json")));
    api.dryRuns.put(
        JOB,
        DryRunResult.refused(
            ApiStatus.fromTree(Fixtures.json("job-immutable", "dry-run-error.json"))));
    api.refuseApply(JOB, ApiStatus.fromTree(Fixtures.json("job-immutable", "apply-error.json")));
    api.put(Fixtures.json("service-clusterip", "live.json")); // exists, never labeled by Tidemark
    // An unowned namesake is compared too, so that its conflict shows what differs.
    api.dryRuns.put(
        SERVICE, DryRunResult.accepted(Fixtures.json("service-clusterip", "dry-run.json")));
    api.put(owned(tree("batch/v1", "CronJob", "backup")));
    api.put(owned(tree("v1", "ConfigMap", "copied-label")));
    inventory.write(Inventory.of(List.of(WEB, CONFIG, SECRET, JOB, CRON)), "previous");
    api.calls.clear();
    for (String name :
        List.of(
            "deployment-scaled",
            "configmap-changed",
            "secret-stringdata",
            "job-immutable",
            "service-clusterip")) {
      write(name + ".yaml", Fixtures.text(name, "desired.yaml"));
    }
    write("namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
  }

  @Test
  void listsEachKindOnceByTheOwnershipLabelAndGetsOnlyObjectsItDoesNotOwn() throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);

    LiveState live = target.snapshot(desired.objects().keySet());

    assertThat(api.calls("list"))
        .containsExactly(
            "list v1 ConfigMap io.tidemark/target=shop",
            "list batch/v1 CronJob io.tidemark/target=shop",
            "list apps/v1 Deployment io.tidemark/target=shop",
            "list batch/v1 Job io.tidemark/target=shop",
            "list v1 Namespace io.tidemark/target=shop",
            "list v1 Secret io.tidemark/target=shop",
            "list v1 Service io.tidemark/target=shop");
    assertThat(api.calls("get"))
        .containsExactlyInAnyOrder(
            "get ConfigMap/shop/tidemark-inventory-shop",
            "get Namespace/shop",
            "get Service/shop/web");
    assertThat(live.objects())
        .extracting(o -> o.key() + " " + o.ownership())
        .containsExactlyInAnyOrder(
            WEB + " OWNED",
            CONFIG + " OWNED",
            SECRET + " OWNED",
            JOB + " OWNED",
            CRON + " OWNED",
            COPIED + " OWNED",
            SERVICE + " UNOWNED");
  }

  @Test
  void getsTheObjectsItDoesNotOwnSeveralAtATime() throws Exception {
    CountDownLatch two = new CountDownLatch(2);
    AtomicInteger alone = new AtomicInteger();
    KubeApi waiting =
        (KubeApi)
            Proxy.newProxyInstance(
                KubeApi.class.getClassLoader(),
                new Class<?>[] {KubeApi.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("get")
                      && !String.valueOf(args[3]).startsWith("tidemark-inventory")) {
                    two.countDown();
                    // Answers at once only when the other GET is in flight beside this one.
                    if (!two.await(10, TimeUnit.SECONDS)) {
                      alone.incrementAndGet();
                    }
                  }
                  try {
                    return method.invoke(api, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    KubernetesTarget concurrent =
        new KubernetesTarget("shop", "shop", waiting, folder -> "", Duration.ofMillis(10));
    DesiredState desired = concurrent.loader().load(repo, ".", REVISION);

    LiveState live = concurrent.snapshot(desired.objects().keySet());

    assertThat(alone).hasValue(0);
    assertThat(live.objects())
        .extracting(o -> o.key() + " " + o.ownership())
        .contains(SERVICE + " UNOWNED");
  }

  @Test
  void plansFromTheRecordedDryRunsInApplyOrder() throws Exception {
    Plan plan = plan();

    assertThat(plan.changes())
        .extracting(c -> c.type() + " " + c.key())
        .containsExactly(
            "CREATE " + NAMESPACE,
            "UPDATE " + CONFIG,
            "IN_SYNC " + SECRET,
            "UPDATE " + WEB,
            "UPDATE " + JOB,
            "CONFLICT " + SERVICE,
            "DELETE " + CRON,
            "DELETE " + COPIED);
    assertThat(diffs(plan, WEB)).containsExactly(new FieldDiff("spec.replicas", 3, 5, "kubectl"));
    assertThat(diffs(plan, CONFIG))
        .containsExactly(
            new FieldDiff(
                "data.LOG_LEVEL", "info", "debug", "kubectl-patch at 2026-11-25T20:41:09Z"));
    assertThat(diffs(plan, JOB))
        .singleElement()
        .asString()
        .contains("spec.template: field is immutable");
    // Four owned objects and the unowned Service, compared so that its conflict shows its diff.
    assertThat(api.calls("dry-run")).hasSize(5);
    assertThat(
            target
                .compareInDetail(change(plan, WEB).desired(), change(plan, WEB).live())
                .attributions())
        .extracting(Attribution::manager)
        .containsExactly("kubectl");
  }

  @Test
  void appliesInOrderAndPrunesOnlyStaleInventoriedObjectsStillLabeled() throws Exception {
    Plan plan = plan();
    api.calls.clear();

    ApplyResult result = target.apply(plan, REVISION, true);

    assertThat(result.results())
        .extracting(r -> r.outcome() + " " + r.key())
        .containsExactly(
            "CREATED " + NAMESPACE,
            "CONFIGURED " + CONFIG,
            "UNCHANGED " + SECRET,
            "CONFIGURED " + WEB,
            "FAILED " + JOB,
            "SKIPPED " + SERVICE,
            "DELETED " + CRON,
            "SKIPPED " + COPIED);
    assertThat(outcome(result, JOB).message())
        .endsWith("422 Invalid: spec.template: field is immutable");
    assertThat(outcome(result, COPIED).message()).isEqualTo("not in the inventory");
    assertThat(api.calls("apply"))
        .containsExactly(
            "apply " + NAMESPACE + " force",
            "apply " + CONFIG + " force",
            "apply " + WEB + " force",
            "apply " + JOB + " force",
            "apply ConfigMap/shop/tidemark-inventory-shop force");
    assertThat(api.calls("delete")).containsExactly("delete " + CRON);
    assertThat(inventory.read().keys())
        .containsExactlyInAnyOrder(NAMESPACE, CONFIG, SECRET, WEB, JOB);
    assertThat(Trees.at(api.live.get(WEB), "metadata", "annotations", Labels.COMMIT))
        .isEqualTo("abc123");
  }

  @Test
  void keepsStaleObjectsInTheInventoryWhilePruneIsOff() throws Exception {
    ApplyResult result = target.apply(plan(), REVISION, false);

    assertThat(outcome(result, CRON).outcome()).isEqualTo(ApplyOutcome.SKIPPED);
    assertThat(api.calls("delete")).isEmpty();
    assertThat(inventory.read().keys()).contains(CRON);
  }

  @Test
  void recreatesAnObjectWhoseImmutableChangeItsAnnotationAllows() throws Exception {
    write(
        "job-immutable.yaml",
        Fixtures.text("job-immutable", "desired.yaml")
            .replace(
                "  namespace: shop\n",
                "  namespace: shop\n  annotations:\n    "
                    + KubernetesApplier.RECREATE
                    + ": \"true\"\n"));
    Plan plan = plan();
    api.calls.clear();

    ApplyResult result = target.apply(plan, REVISION, true);

    assertThat(outcome(result, JOB))
        .extracting(ObjectResult::outcome, ObjectResult::message)
        .containsExactly(ApplyOutcome.CONFIGURED, "recreated: a changed field is immutable");
    assertThat(api.calls)
        .containsSubsequence("apply " + JOB + " force", "delete " + JOB, "apply " + JOB + " force");
  }

  @Test
  void writesNothingWhenEverythingIsInSync() throws Exception {
    RecordingKubeApi quiet = new RecordingKubeApi();
    KubernetesTarget inSync =
        new KubernetesTarget("shop", "shop", quiet, folder -> "", Duration.ofMillis(10));
    Path clean = Files.createDirectories(repo.resolve("clean"));
    Files.writeString(
        clean.resolve("web.yaml"), Fixtures.text("deployment-defaults", "desired.yaml"));
    Map<String, Object> live = owned(Fixtures.json("deployment-defaults", "live.json"));
    quiet.put(live);
    quiet.dryRuns.put(
        WEB, DryRunResult.accepted(owned(Fixtures.json("deployment-defaults", "dry-run.json"))));
    new InventoryStore(quiet, "shop", "shop").write(Inventory.of(List.of(WEB)), "previous");
    DesiredState desired = inSync.loader().load(repo, "clean", REVISION);
    quiet.calls.clear();

    Plan plan =
        Planner.plan(
            Pairing.pair(desired, inSync.snapshot(desired.objects().keySet())),
            inSync,
            inSync.applyOrder());
    inSync.apply(plan, REVISION, true);

    assertThat(plan.drifted()).isFalse();
    assertThat(quiet.calls("apply")).isEmpty();
    assertThat(quiet.calls("delete")).isEmpty();
  }

  @Test
  void waitsForWrittenObjectsAndReportsTheirHealth() throws Exception {
    Plan plan = plan();
    ApplyResult result = target.apply(plan, REVISION, true);
    api.put(owned(Fixtures.json("deployment-scaled", "live.json"))); // as the controller left it

    List<ObjectHealth> health = target.awaitHealthy(plan, result, Duration.ofMillis(50));

    assertThat(health)
        .extracting(h -> h.status() + " " + h.key())
        .containsExactly("HEALTHY " + NAMESPACE, "HEALTHY " + CONFIG, "PROGRESSING " + WEB);
    assertThat(health.get(2).message()).isEqualTo("0 of 5 updated replicas available");
  }

  private Plan plan() throws Exception {
    DesiredState desired = target.loader().load(repo, ".", REVISION);
    return Planner.plan(
        Pairing.pair(desired, target.snapshot(desired.objects().keySet())),
        target,
        target.applyOrder());
  }

  private void recorded(String name, ObjectKey key) {
    api.put(owned(Fixtures.json(name, "live.json")));
    api.dryRuns.put(key, DryRunResult.accepted(owned(Fixtures.json(name, "dry-run.json"))));
  }

  /**
   * A recorded object as it is once Tidemark owns it: with its ownership label (and no other
   * change).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> owned(Map<String, Object> recorded) {
    Map<String, Object> tree = Trees.mutableCopy(recorded);
    Map<String, Object> metadata = (Map<String, Object>) tree.get("metadata");
    Map<String, Object> labels =
        metadata.get("labels") instanceof Map<?, ?> m
            ? (Map<String, Object>) m
            : new java.util.LinkedHashMap<>();
    labels.put(Labels.TARGET, "shop");
    metadata.put("labels", labels);
    return tree;
  }

  private static Map<String, Object> tree(String apiVersion, String kind, String name) {
    return Trees.mutableCopy(
        Map.of(
            "apiVersion",
            apiVersion,
            "kind",
            kind,
            "metadata",
            Map.of("name", name, "namespace", "shop")));
  }

  private static Change change(Plan plan, ObjectKey key) {
    return plan.changes().stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
  }

  private static List<FieldDiff> diffs(Plan plan, ObjectKey key) {
    return change(plan, key).diffs();
  }

  private static ObjectResult outcome(ApplyResult result, ObjectKey key) {
    return result.results().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
  }

  private void write(String file, String content) throws Exception {
    Files.writeString(repo.resolve(file), content);
  }
}
