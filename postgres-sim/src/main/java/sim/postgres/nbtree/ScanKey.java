package sim.postgres.nbtree;

import sim.postgres.heap.Tid;

/**
 * An insertion scan key (BTScanInsertData): values for the first {@code keys.length} key attributes and,
 * when inserting, the heap TID that makes every index tuple's position unique (scantid).
 */
record ScanKey(Object[] keys, Tid scantid) {
  int keysz() {
    return keys.length;
  }

  /**
   * _bt_compare against the item at {@code off}: negative if this key sorts before it, 0 if equal on every
   * attribute it has, positive if after. The first data item of an internal page is minus infinity.
   */
  int compare(KeyDesc desc, BtPage page, int off) {
    if (!page.isLeaf() && off == page.firstDataKey()) return 1;
    IndexTuple t = page.tuple(off);
    int ntupatts = t.natts(desc.natts());
    int ncmp = Math.min(keysz(), ntupatts);
    for (int i = 0; i < ncmp; i++) {
      int r = KeyDesc.compareValue(keys[i], t.keys[i]);
      if (r != 0) return r;
    }
    if (keysz() > ntupatts) return 1; // truncated attributes are minus infinity
    Tid heapTid = t.heapTid();
    if (scantid == null) {
      if (keysz() == ntupatts && heapTid == null && t.isPivot()) return 1;
      return 0;
    }
    if (heapTid == null) return 1;
    int r = scantid.compareTo(heapTid);
    if (r <= 0 || !t.isPosting()) return r;
    return scantid.compareTo(t.maxHeapTid()) > 0 ? 1 : 0;
  }
}
