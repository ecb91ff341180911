package sim.es.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.es.engine.CombinedDeletionPolicy.CommitInfo;

class CombinedDeletionPolicyTest {
  private static final List<CommitInfo> COMMITS = List.of(
      new CommitInfo(1, 9, 10, 1), new CommitInfo(2, 19, 20, 2), new CommitInfo(3, 29, 30, 3));

  @Test
  void theSafeCommitIsTheNewestWhoseMaxSeqNoIsAtOrBelowTheGlobalCheckpoint() {
    assertEquals(1, CombinedDeletionPolicy.safeCommitIndex(COMMITS, 20));
    assertEquals(1, CombinedDeletionPolicy.safeCommitIndex(COMMITS, 29));
    assertEquals(2, CombinedDeletionPolicy.safeCommitIndex(COMMITS, 30));
    assertEquals(0, CombinedDeletionPolicy.safeCommitIndex(COMMITS, 10));
  }

  @Test
  void withoutASafeCommitTheOldestIsKept() {
    assertEquals(0, CombinedDeletionPolicy.safeCommitIndex(COMMITS, 9));
    assertEquals(0, CombinedDeletionPolicy.safeCommitIndex(COMMITS, -1));
  }

  @Test
  void theBrokenRuleKeepsOnlyTheLastCommit() {
    assertEquals(1, CombinedDeletionPolicy.keptFrom(COMMITS, 25, false));
    assertEquals(2, CombinedDeletionPolicy.keptFrom(COMMITS, 25, true));
  }

  @Test
  void noCommitsIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> CombinedDeletionPolicy.safeCommitIndex(List.of(), 5));
  }
}
