package sim.cassandra.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.core.disk.SimDisk;

/**
 * A token-range read (Merkle repair's and range scans' view) positions each SSTable's index through the
 * summary instead of reading every key: it must see exactly the keys a full scan filtered to the range sees.
 */
class RangeReadProperties {

  /** Keys written in batches, each batch but the last flushed to its own SSTable, the last left in the memtable. */
  private static StorageEngine engineWith(List<Integer> batchSizes) {
    StorageEngine e = StorageEngineTest.open(SimDisk.standalone("n1", 1));
    StorageEngineTest.define(e.schema());
    int key = 0;
    for (int b = 0; b < batchSizes.size(); b++) {
      for (int i = 0; i < batchSizes.get(b); i++, key++) e.write(StorageEngineTest.put("k" + (key % 700), "v" + key, key));
      if (b + 1 < batchSizes.size()) e.flush(true, 0);
    }
    return e;
  }

  @Property(tries = 60)
  void aRangeSeesExactlyTheKeysAFullScanFiltersToIt(
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 400) Integer> batchSizes,
      @ForAll long a, @ForAll long b) {
    StorageEngine e = engineWith(batchSizes);
    TableStore store = e.store(StorageEngineTest.T);
    long from = Math.min(a, b);
    long to = Math.max(a, b);
    List<DecoratedKey> expected = store.allKeys().stream()
        .filter(k -> k.token() > from && k.token() <= to).collect(Collectors.toList());
    assertEquals(expected, new ArrayList<>(store.keys(from, to)));
    List<DecoratedKey> read = new ArrayList<>();
    for (Partition p : e.readRange(StorageEngineTest.T, from, to)) read.add(p.key());
    assertEquals(expected, read);
  }

  @Property(tries = 30)
  void rangesEndingAtStoredTokensIncludeTheEndAndExcludeTheStart(
      @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 400) Integer> batchSizes,
      @ForAll @IntRange(min = 0, max = 10_000) int i, @ForAll @IntRange(min = 0, max = 10_000) int j) {
    TableStore store = engineWith(batchSizes).store(StorageEngineTest.T);
    List<DecoratedKey> all = new ArrayList<>(store.allKeys());
    long from = all.get(Math.min(i, j) % all.size()).token();
    long to = all.get(Math.max(i, j) % all.size()).token();
    List<DecoratedKey> expected = all.stream().filter(k -> k.token() > from && k.token() <= to).collect(Collectors.toList());
    assertEquals(expected, new ArrayList<>(store.keys(from, to)));
  }

  @Test
  void anSSTableTheRangeMissesIsNotRead() {
    StorageEngine e = engineWith(List.of(300, 0));
    TableStore store = e.store(StorageEngineTest.T);
    SSTable s = store.sstables().get(0);
    e.disk().delete(s.descriptor().file(SSTableDescriptor.Component.PRIMARY_INDEX));
    long min = s.stats().minToken();
    long max = s.stats().maxToken();
    assertTrue(store.keys(Long.MIN_VALUE, min - 1).isEmpty(), "below the SSTable's first token");
    assertTrue(store.keys(max, Long.MAX_VALUE).isEmpty(), "above its last token");
    assertThrows(RuntimeException.class, () -> store.keys(min - 1, max), "a range it covers must read Index.db");
  }
}
