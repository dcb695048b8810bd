package io.tidemark.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tidemark.model.ChangeType;
import io.tidemark.model.FieldDiff;
import io.tidemark.model.Mode;
import io.tidemark.model.RevisionInfo;
import io.tidemark.model.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportStoreTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @TempDir Path dir;

  private ReportStore store(int maxRuns) {
    return new ReportStore(
        dir, JSON, maxRuns, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static DriftReport report(String id, Instant at) {
    ObjectReport object =
        new ObjectReport(
            "Service/web",
            "Service",
            "",
            "web",
            ChangeType.UPDATE,
            List.of(new FieldDiff("Mode.Replicated.Replicas", 2, 5)),
            "stack.yml:4",
            null,
            "",
            null,
            "");
    return new DriftReport(
        id,
        "swarm",
        Mode.DETECT,
        Trigger.poll(),
        new RevisionInfo("abc", "ann", "msg", at),
        at,
        12,
        RunResult.DRIFT_DETECTED,
        false,
        "",
        List.of(),
        Map.of(ChangeType.UPDATE, 1),
        List.of(object));
  }

  @Test
  void keepsReportsAcrossRestartsNewestFirst() {
    ReportStore first = store(10);
    first.completed(report("a", NOW.minusSeconds(30)));
    first.completed(report("b", NOW.minusSeconds(20)));

    ReportStore reopened = store(10);
    assertThat(reopened.runs("swarm", 10, null))
        .extracting(DriftReport::id)
        .containsExactly("b", "a");
    assertThat(reopened.latest("swarm")).get().extracting(DriftReport::id).isEqualTo("b");
    DriftReport read = reopened.run("swarm", "a").orElseThrow();
    assertThat(read).isEqualTo(report("a", NOW.minusSeconds(30)));
  }

  @Test
  void pagesWithBefore() {
    ReportStore store = store(10);
    for (int i = 0; i < 5; i++) {
      store.completed(report("r" + i, NOW.minusSeconds(50 - i)));
    }
    assertThat(store.runs("swarm", 2, NOW.minusSeconds(47)))
        .extracting(DriftReport::id)
        .containsExactly("r2", "r1");
  }

  @Test
  void dropsTheOldestBeyondTheCountBound() {
    ReportStore store = store(3);
    for (int i = 0; i < 5; i++) {
      store.completed(report("r" + i, NOW.minusSeconds(50 - i)));
    }
    assertThat(store.runs("swarm", 10, null))
        .extracting(DriftReport::id)
        .containsExactly("r4", "r3", "r2");
    assertThat(dir.resolve("swarm").toFile().list()).hasSize(3);
  }

  @Test
  void dropsReportsOlderThanTheAgeBound() {
    ReportStore store = store(100);
    store.completed(report("ancient", NOW.minus(Duration.ofDays(31))));
    store.completed(report("fresh", NOW.minusSeconds(5)));
    assertThat(store.runs("swarm", 10, null)).extracting(DriftReport::id).containsExactly("fresh");
  }

  @Test
  void aTornWriteOrACorruptFileNeverBreaksTheHistory() throws Exception {
    store(10).completed(report("good", NOW.minusSeconds(10)));
    Path target = dir.resolve("swarm");
    Files.writeString(target.resolve(".report-123.tmp"), "{\"id\": \"half");
    Files.writeString(target.resolve("000000000000001-bad.json"), "{not json");

    ReportStore reopened = store(10);
    assertThat(reopened.runs("swarm", 10, null))
        .extracting(DriftReport::id)
        .containsExactly("good");
    assertThat(target.resolve(".report-123.tmp")).doesNotExist();
    assertThat(target.resolve("000000000000001-bad.json.corrupt")).exists();
  }
}
