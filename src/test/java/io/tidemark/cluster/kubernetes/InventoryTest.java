package io.tidemark.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.model.Labels;
import io.tidemark.model.LiveObject;
import io.tidemark.model.ObjectKey;
import io.tidemark.model.Ownership;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The inventory of applied keys, its ConfigMap form, and what prune may delete. */
class InventoryTest {

  private static final ObjectKey NAMESPACE = ObjectKey.of("Namespace", "shop");
  private static final ObjectKey WEB = new ObjectKey("Deployment.apps", "shop", "web");
  private static final ObjectKey CONFIG = new ObjectKey("ConfigMap", "shop", "web-config");
  private static final ObjectKey CRON = new ObjectKey("CronJob.batch", "shop", "backup");
  private static final ObjectKey CR =
      new ObjectKey("BackupSchedule.ops.example.com", "shop", "nightly");

  @Test
  void storesOneSortedKeyALineAndReadsItBack() {
    Inventory inventory = Inventory.of(List.of(WEB, NAMESPACE, CR));

    Map<String, String> data = inventory.toConfigMapData();

    assertThat(data)
        .containsExactly(
            Map.entry(
                "objects",
                "BackupSchedule.ops.example.com/shop/nightly\nDeployment.apps/shop/web\nNamespace/shop"));
    assertThat(Inventory.fromConfigMapData(data)).isEqualTo(inventory);
  }

  @Test
  void readsAMissingConfigMapAsEmptyAndRefusesForeignContent() {
    assertThat(Inventory.fromConfigMapData(null).keys()).isEmpty();
    assertThat(Inventory.fromConfigMapData(Map.of()).keys()).isEmpty();
    assertThatThrownBy(() -> Inventory.fromConfigMapData(Map.of("objects", "a/b/c/d")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Inventory.fromConfigMapData(Map.of("objects", "Deployment.apps//web")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsStaleKeysEvenWhenTheirWholeKindLeftGit() {
    Inventory previous = Inventory.of(List.of(NAMESPACE, WEB, CONFIG, CRON));

    Set<ObjectKey> stale = previous.stale(Set.of(NAMESPACE, WEB));

    assertThat(stale).containsExactly(CONFIG, CRON);
    assertThat(previous.kinds()).contains("CronJob.batch");
  }

  @Test
  void prunesOnlyStaleInventoriedObjectsThatStillCarryThisTargetsLabelInReverseOrder() {
    Inventory previous = Inventory.of(List.of(NAMESPACE, WEB, CONFIG, CRON));
    ObjectKey unlisted = new ObjectKey("ConfigMap", "shop", "never-applied");
    List<LiveObject> live =
        List.of(
            live(NAMESPACE, "shop"),
            live(CONFIG, "shop"),
            live(CRON, "other-target"),
            live(WEB, "shop"),
            live(unlisted, "shop"),
            live(new ObjectKey("Secret", "shop", "handmade"), null));
    ObjectKey gone = new ObjectKey("Service", "shop", "already-deleted");

    List<LiveObject> prunable =
        Prune.select(
            Inventory.of(List.of(NAMESPACE, WEB, CONFIG, CRON, gone)), Set.of(WEB), live, "shop");

    assertThat(prunable).extracting(LiveObject::key).containsExactly(CONFIG, NAMESPACE);
    assertThat(previous.stale(Set.of(WEB))).contains(CRON);
  }

  private static LiveObject live(ObjectKey key, String target) {
    Map<String, String> labels = target == null ? Map.of() : Map.of(Labels.TARGET, target);
    return new LiveObject(
        key, Map.of(), labels, "1", target == null ? Ownership.UNOWNED : Ownership.OWNED);
  }
}
