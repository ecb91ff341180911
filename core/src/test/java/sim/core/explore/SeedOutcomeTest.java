package sim.core.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;

/** How explore's summary names the rule behind an excused anomaly: the same rule in different runs counts once. */
class SeedOutcomeTest {

  @Test
  void aParenthesisedWordThatNamesTheRuleStaysInItsName() {
    assertEquals("the broker lost the producer's state and the producer bumped its epoch (KIP-360), so batches resent",
        SeedOutcome.ruleName("the broker lost the producer's state and the producer bumped its epoch (KIP-360), so batches resent"));
    assertEquals("appendfsync everysec (flushAppendOnlyFile)",
        SeedOutcome.ruleName("appendfsync everysec (flushAppendOnlyFile): a write is fsynced by the bio fsync (at most 2 s)"));
    assertEquals("leader epochs (KIP-101/279)", SeedOutcome.ruleName("leader epochs (KIP-101/279): a returning leader truncates"));
  }

  @Test
  void runSpecificsInBracketsAndParenthesesGoAndNumbersReadN() {
    assertEquals("acks=all is not fsync", SeedOutcome.ruleName("acks=all is not fsync [orders-0] (covers 3): b1, b2, b3 crashed"));
    assertEquals("a file corrupted at rest is refused by the loader, and Redis exits rather than load it",
        SeedOutcome.ruleName("a file corrupted at rest (fault at 1.2s) is refused by the loader, and Redis exits rather than load it: gone"));
    assertEquals("an AOF write error from Ns until the crash", SeedOutcome.ruleName("an AOF write error from 12s until the crash: retried"));
  }

  @Test
  void theSameRuleInTwoRunsGivesOneKeyThatKeepsItsName() {
    String rule = "the producer bumped its epoch (KIP-360), so batches resent under the new epoch cannot be matched";
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    allowed.put(rule, List.of("t-0@4", "t-1@7"));
    CheckResult first = CheckResult.losses("kafka.no-duplicates", "2 duplicates", List.of("t-0@4"), allowed);
    CheckResult second = CheckResult.losses("kafka.no-duplicates", "1 duplicate", List.of("t-1@7"), allowed);
    List<String> keys = SeedOutcome.excuseKeys(first);
    assertEquals(List.of("kafka.no-duplicates: " + rule), keys);
    assertEquals(keys, SeedOutcome.excuseKeys(second));
  }

  @Test
  void aRuleWhoseOwnWordsHoldASemicolonCountsOnce() {
    String gcGrace = "gc_grace_seconds: a tombstone may be purged after gc_grace_seconds; a replica that missed the delete resurrects the row";
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    allowed.put(gcGrace, List.of("k1"));
    allowed.put("commitlog_sync: periodic: a crash loses the writes since the last sync", List.of("k2"));
    CheckResult c = CheckResult.losses("cassandra.deleted-stays-deleted", "2 back", List.of("k1", "k2"), allowed);
    assertEquals(List.of("cassandra.deleted-stays-deleted: gc_grace_seconds", "cassandra.deleted-stays-deleted: commitlog_sync"),
        SeedOutcome.excuseKeys(c));
    assertEquals(gcGrace + "; commitlog_sync: periodic: a crash loses the writes since the last sync", c.excuse().rule(), "the text reads as before");
  }
}
