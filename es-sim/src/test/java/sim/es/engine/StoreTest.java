package sim.es.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.disk.SimDisk;
import sim.es.index.IndexWriter;
import sim.es.index.Mapping;

/** The store keeps the safe commit and the newer ones; opening it after a crash starts from the safe one. */
class StoreTest {
  private final SimDisk disk = SimDisk.standalone("es1", 1);
  private final IndexWriter writer = new IndexWriter(new Mapping());
  private final OperationHistory history = new OperationHistory();
  private final Store store = new Store(disk, "");
  private long seqNo;

  /** Indexes {@code docs} documents, refreshes, and commits them durably as {@code generation}. */
  private void commit(long generation, int docs, long globalCheckpoint) {
    for (int i = 0; i < docs; i++, seqNo++) {
      Operation op = new Operation(seqNo, 1, false, "d" + seqNo, "{\"body\":\"doc " + seqNo + "\"}");
      writer.index(op.id(), op.source(), op.seqNo());
      history.add(op);
    }
    writer.refresh();
    for (String f : store.prepareCommit(generation, writer, seqNo - 1, seqNo - 1, generation + 1, history)) disk.fsync(f);
    store.publish(generation, globalCheckpoint, false);
  }

  private List<Long> generations() {
    return store.commits().stream().map(CombinedDeletionPolicy.CommitInfo::generation).toList();
  }

  @Test
  void publishKeepsTheSafeCommitAndDeletesOlderOnes() {
    commit(1, 5, -1); // max_seq_no 4: nothing is safe yet, the oldest (this one) stays
    commit(2, 5, 4); // segments_1 is safe (4 <= 4), segments_2 (max 9) is not
    assertEquals(List.of(1L, 2L), generations());
    commit(3, 5, 9); // segments_2 becomes the safe one: segments_1 goes
    assertEquals(List.of(2L, 3L), generations());
    commit(4, 5, 19); // the last commit itself is safe: only it stays
    assertEquals(List.of(4L), generations());
  }

  @Test
  void theBrokenRuleKeepsOnlyTheLastCommit() {
    commit(1, 5, -1);
    for (String f : store.prepareCommit(2, writer, 4, 4, 3, history)) disk.fsync(f);
    CombinedDeletionPolicy.CommitInfo kept = store.publish(2, -1, true);
    assertEquals(2, kept.generation());
    assertEquals(List.of(2L), generations());
  }

  @Test
  void openStartsFromTheSafeCommitAndDeletesTheUnsafeOnes() {
    commit(1, 5, -1);
    commit(2, 5, 4);
    disk.crash();
    Store reopened = new Store(disk, "");
    IndexWriter w = new IndexWriter(new Mapping());
    Store.CommitPoint opened = reopened.open(w, 6); // segments_2 (max 9) is above the global checkpoint 6
    assertEquals(1, opened.generation());
    assertEquals(4, opened.maxSeqNo());
    assertEquals(2, reopened.maxGeneration());
    assertEquals(List.of(1L), reopened.commits().stream().map(CombinedDeletionPolicy.CommitInfo::generation).toList());
    assertTrue(w.exists("d4"));
    assertFalse(w.exists("d5"), "a document only the unsafe commit held");
  }

  @Test
  void openFallsBackToTheOldestCommitWhenNoneIsSafe() {
    commit(1, 5, -1);
    Store.CommitPoint opened = new Store(disk, "").open(new IndexWriter(new Mapping()), 2);
    assertEquals(1, opened.generation());
  }

  @Test
  void aRunningEngineReopensAtTheSafeCommitDeletingOnlyNewerCommits() {
    commit(1, 5, -1);
    commit(2, 5, 4); // kept: segments_1 (safe for 4) and segments_2 (max 9)
    commit(3, 5, 4); // segments_1 stays the safe one; 2 and 3 are newer
    IndexWriter w = new IndexWriter(new Mapping());
    Store.CommitPoint opened = store.reopen(w, 9); // known global checkpoint 9: segments_2 is safe for it
    assertEquals(2, opened.generation());
    assertEquals(List.of(1L, 2L), generations(), "segments_3 goes (above the checkpoint); segments_1 stays: the persisted one may be lower");
    assertTrue(w.exists("d9"));
    assertFalse(w.exists("d10"), "a document only the newer commit held");
    assertTrue(disk.exists("history_1.ops"));
  }

  @Test
  void findsWhetherACommitIsSafe() {
    assertTrue(store.hasSafeCommit(-1), "a copy that never flushed has Elasticsearch's empty first commit");
    commit(1, 5, -1);
    assertFalse(store.hasSafeCommit(3), "max_seq_no 4 is above 3");
    assertTrue(store.hasSafeCommit(4));
    assertEquals(1, store.safeCommit(3).generation(), "none is safe: the oldest");
  }

  @Test
  void commitFilesListTheCommitsOwnSegments() {
    commit(1, 5, -1);
    commit(2, 5, 4);
    List<String> files = store.commitFiles(1);
    assertEquals(List.of("_0.seg", "history_1.ops", "segments_1"), files);
    assertEquals(List.of(), store.commitFiles(7));
  }
}
