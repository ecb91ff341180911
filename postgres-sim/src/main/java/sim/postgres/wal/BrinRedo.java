package sim.postgres.wal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.core.disk.SimDisk;
import sim.postgres.brin.BrinIndex;
import sim.postgres.brin.BrinPageCodec;
import sim.postgres.heap.Table;

/** Crash recovery of BRIN indexes: their pages as the disk has them, then every logged page image replayed. */
final class BrinRedo {
  private final SimDisk disk;
  private final Set<String> tornPages;
  private final List<String> repaired;
  final Map<Integer, BrinIndex> indexes = new TreeMap<>();
  int fpis;

  BrinRedo(SimDisk disk, Set<String> tornPages, List<String> repaired) {
    this.disk = disk;
    this.tornPages = tornPages;
    this.repaired = repaired;
  }

  static BrinIndex empty(Table t, Table.Brin def) {
    return new BrinIndex(def.name(), def.oid(), t.types[def.column()], def.pagesPerRange());
  }

  /** The index's pages from its file; a torn one waits for a page image. */
  BrinIndex load(Table t, Table.Brin def) {
    BrinIndex ix = empty(t, def);
    indexes.put(def.oid(), ix);
    StoredBlocks.forEachWritten(disk, Storage.relFile(def.oid()), tornPages, (block, bytes) -> BrinPageCodec.restore(ix, block, bytes, -1));
    return ix;
  }

  /** A catalog record naming a BRIN index redo does not know yet: it starts empty. */
  BrinIndex added(Table t, Table.Brin def) {
    if (indexes.containsKey(def.oid())) return null;
    if (!t.brinIndexes.contains(def)) t.brinIndexes.add(def);
    BrinIndex ix = empty(t, def);
    indexes.put(def.oid(), ix);
    return ix;
  }

  void redo(WalRecord.BrinPages r, long end) {
    BrinIndex ix = indexes.get(r.indexOid());
    if (ix == null) return;
    for (WalRecord.FullPage image : r.pages()) {
      BrinPageCodec.restore(ix, image.block(), image.image(), end);
      fpis++;
      String key = Storage.relFile(ix.oid) + " block " + image.block();
      if (tornPages.remove(key)) repaired.add(key);
    }
  }
}
