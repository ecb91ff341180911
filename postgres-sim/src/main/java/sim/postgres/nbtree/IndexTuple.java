package sim.postgres.nbtree;

import java.util.Arrays;
import java.util.HexFormat;
import sim.postgres.heap.Tid;

/**
 * One nbtree index tuple (IndexTupleData + nbtree's conventions, access/nbtree.h), immutable. Three kinds,
 * told apart as PostgreSQL tells them, by INDEX_ALT_TID_MASK in t_info and BT_IS_POSTING in t_tid's offset:
 * <ul>
 *   <li>a plain leaf tuple: the key and t_tid = the heap TID it points at;
 *   <li>a posting list tuple (deduplication, PG 13+): the key once, then a sorted array of heap TIDs; t_tid's
 *       block holds the posting list's offset in the tuple and its offset the count | BT_IS_POSTING;
 *   <li>a pivot tuple (high keys, internal page items): possibly truncated keys, t_tid's offset holds the
 *       number of attributes kept (| BT_PIVOT_HEAP_TID_ATTR when a heap TID tiebreaker is appended at the
 *       end) and its block the downlink (internal pages) or what was left there by the tuple it was made from.
 * </ul>
 * {@link #size} is IndexTupleSize, always MAXALIGNed, as {@code bt_page_items.itemlen} shows it.
 */
public final class IndexTuple {
  static final int INDEX_SIZE_MASK = 0x1FFF;
  static final int INDEX_ALT_TID_MASK = 0x2000;
  static final int INDEX_VAR_MASK = 0x4000;
  static final int INDEX_NULL_MASK = 0x8000;
  static final int BT_OFFSET_MASK = 0x0FFF;
  static final int BT_PIVOT_HEAP_TID_ATTR = 0x1000;
  static final int BT_IS_POSTING = 0x2000;
  static final int HEADER = 8;
  static final int TID_BYTES = 6;

  final Object[] keys;
  final int tidBlock;
  final int tidOffset;
  final int size;
  final int infoFlags;
  final Tid[] posting;
  final Tid pivotHeapTid;

  private IndexTuple(Object[] keys, int tidBlock, int tidOffset, int size, int infoFlags, Tid[] posting, Tid pivotHeapTid) {
    this.keys = keys;
    this.tidBlock = tidBlock;
    this.tidOffset = tidOffset;
    this.size = size;
    this.infoFlags = infoFlags;
    this.posting = posting;
    this.pivotHeapTid = pivotHeapTid;
  }

  static int hoff(boolean hasNull) {
    return hasNull ? KeyDesc.maxalign(HEADER + 4) : HEADER;
  }

  private static boolean anyNull(Object[] keys) {
    for (Object k : keys) if (k == null) return true;
    return false;
  }

  private static int flagsFor(KeyDesc desc, Object[] keys) {
    return (anyNull(keys) ? INDEX_NULL_MASK : 0) | (desc.hasVarWidth(keys, keys.length) ? INDEX_VAR_MASK : 0);
  }

  /** index_form_tuple: a plain leaf tuple pointing at {@code htid}. */
  public static IndexTuple leaf(KeyDesc desc, Object[] keys, Tid htid) {
    int size = KeyDesc.maxalign(hoff(anyNull(keys)) + desc.dataLength(keys, keys.length));
    return new IndexTuple(keys.clone(), htid.block(), htid.offset(), size, flagsFor(desc, keys), null, null);
  }

  /** _bt_form_posting: {@code base}'s key with these heap TIDs (ascending, unique); one TID is a plain tuple. */
  static IndexTuple formPosting(IndexTuple base, Tid[] htids) {
    int keysize = base.isPosting() ? base.postingOffset() : base.size;
    int flags = base.infoFlags & (INDEX_NULL_MASK | INDEX_VAR_MASK);
    if (htids.length == 1) return new IndexTuple(base.keys, htids[0].block(), htids[0].offset(), keysize, flags, null, null);
    int newsize = KeyDesc.maxalign(keysize + htids.length * TID_BYTES);
    return new IndexTuple(base.keys, keysize, htids.length | BT_IS_POSTING, newsize, flags | INDEX_ALT_TID_MASK,
        htids.clone(), null);
  }

  /** The minus infinity item of an internal page: no key, only the downlink. */
  static IndexTuple minusInfinity(int downlink) {
    return new IndexTuple(new Object[0], downlink, 0, HEADER, INDEX_ALT_TID_MASK, null, null);
  }

  /** This pivot with its downlink (t_tid block) set to {@code block}. */
  IndexTuple withDownlink(int block) {
    return new IndexTuple(keys, block, tidOffset, size, infoFlags, posting, pivotHeapTid);
  }

  /** _bt_pgaddtup's truncation of an internal page's first data item into minus infinity. */
  IndexTuple asMinusInfinity() {
    return minusInfinity(tidBlock);
  }

  /**
   * _bt_truncate: the new high key between {@code lastleft} and {@code firstright}: firstright's keys up
   * to the first attribute that tells them apart, or all of them plus lastleft's max heap TID when none does.
   */
  static IndexTuple truncate(KeyDesc desc, IndexTuple lastleft, IndexTuple firstright) {
    int nkeyatts = desc.natts();
    int keepnatts = keepNattsFast(desc, lastleft, firstright);
    int kept = Math.min(keepnatts, nkeyatts);
    Object[] keys = Arrays.copyOf(firstright.keys, kept);
    int size;
    int flags;
    if (kept < nkeyatts) {
      size = KeyDesc.maxalign(hoff(anyNull(keys)) + desc.dataLength(keys, kept));
      flags = flagsFor(desc, keys);
    } else {
      size = firstright.isPosting() ? KeyDesc.maxalign(firstright.postingOffset()) : firstright.size;
      flags = firstright.infoFlags & (INDEX_NULL_MASK | INDEX_VAR_MASK);
    }
    flags |= INDEX_ALT_TID_MASK;
    if (keepnatts <= nkeyatts) return new IndexTuple(keys, firstright.tidBlock, keepnatts, size, flags, null, null);
    return new IndexTuple(keys, firstright.tidBlock, nkeyatts | BT_PIVOT_HEAP_TID_ATTR,
        KeyDesc.maxalign(size) + KeyDesc.maxalign(TID_BYTES), flags, null, lastleft.maxHeapTid());
  }

  /** _bt_keep_natts_fast: 1 + the number of leading key attributes that are bitwise equal. */
  static int keepNattsFast(KeyDesc desc, IndexTuple lastleft, IndexTuple firstright) {
    int keep = 1;
    for (int i = 0; i < desc.natts(); i++) {
      Object a = i < lastleft.keys.length ? lastleft.keys[i] : null;
      Object b = i < firstright.keys.length ? firstright.keys[i] : null;
      if ((a == null) != (b == null)) break;
      if (a != null && !a.equals(b)) break;
      keep++;
    }
    return keep;
  }

  // ---- what kind of tuple ----------------------------------------------------------------------------

  boolean isPivot() {
    return (infoFlags & INDEX_ALT_TID_MASK) != 0 && (tidOffset & BT_IS_POSTING) == 0;
  }

  boolean isPosting() {
    return (infoFlags & INDEX_ALT_TID_MASK) != 0 && (tidOffset & BT_IS_POSTING) != 0;
  }

  int postingOffset() {
    return tidBlock;
  }

  int nposting() {
    return posting.length;
  }

  /** Key attributes present: all of them for leaf tuples, the kept ones for pivots. */
  int natts(int nkeyatts) {
    return isPivot() ? tidOffset & BT_OFFSET_MASK : nkeyatts;
  }

  /** BTreeTupleGetHeapTID: the (lowest) heap TID, or null for a pivot without one. */
  Tid heapTid() {
    if (isPivot()) return pivotHeapTid;
    if (isPosting()) return posting[0];
    return new Tid(tidBlock, tidOffset);
  }

  Tid maxHeapTid() {
    return isPosting() ? posting[posting.length - 1] : heapTid();
  }

  /** Every heap TID this leaf tuple points at. */
  Tid[] heapTids() {
    return isPosting() ? posting.clone() : new Tid[] {heapTid()};
  }

  /** The downlink of an internal page item. */
  int downlink() {
    return tidBlock;
  }

  public Object[] keys() {
    return keys.clone();
  }

  // ---- the on-page bytes -----------------------------------------------------------------------------

  private int hoff() {
    return hoff((infoFlags & INDEX_NULL_MASK) != 0);
  }

  /** The tuple as PostgreSQL stores it: t_tid, t_info, null bitmap, key data, posting list or pivot heap TID. */
  byte[] encode(KeyDesc desc) {
    byte[] b = new byte[size];
    putTid(b, 0, tidBlock, tidOffset);
    int info = size | infoFlags;
    b[6] = (byte) info;
    b[7] = (byte) (info >>> 8);
    if ((infoFlags & INDEX_NULL_MASK) != 0) {
      for (int i = 0; i < keys.length; i++) if (keys[i] != null) b[HEADER + i / 8] |= (byte) (1 << (i % 8));
    }
    desc.writeData(keys, keys.length, b, hoff());
    if (isPosting()) {
      for (int i = 0; i < posting.length; i++) putTid(b, postingOffset() + i * TID_BYTES, posting[i].block(), posting[i].offset());
    } else if (pivotHeapTid != null) {
      putTid(b, size - TID_BYTES, pivotHeapTid.block(), pivotHeapTid.offset());
    }
    return b;
  }

  /** Reads a tuple {@link #encode} wrote (from a page on disk or a WAL record). */
  static IndexTuple decode(KeyDesc desc, byte[] b, int at) {
    int tidBlock = (u16(b, at) << 16) | u16(b, at + 2);
    int tidOffset = u16(b, at + 4);
    int info = u16(b, at + 6);
    int size = info & INDEX_SIZE_MASK;
    int flags = info & ~INDEX_SIZE_MASK;
    boolean alt = (flags & INDEX_ALT_TID_MASK) != 0;
    boolean postingTuple = alt && (tidOffset & BT_IS_POSTING) != 0;
    boolean pivot = alt && !postingTuple;
    int natts = pivot ? tidOffset & BT_OFFSET_MASK : desc.natts();
    boolean[] present = new boolean[natts];
    boolean hasNull = (flags & INDEX_NULL_MASK) != 0;
    for (int i = 0; i < natts; i++) present[i] = !hasNull || (b[at + HEADER + i / 8] & (1 << (i % 8))) != 0;
    Object[] keys = desc.readData(b, at + hoff(hasNull), natts, present);
    Tid[] posting = null;
    Tid heapTid = null;
    if (postingTuple) {
      int n = tidOffset & BT_OFFSET_MASK;
      posting = new Tid[n];
      for (int i = 0; i < n; i++) posting[i] = readTid(b, at + tidBlock + i * TID_BYTES);
    } else if (pivot && (tidOffset & BT_PIVOT_HEAP_TID_ATTR) != 0) {
      heapTid = readTid(b, at + size - TID_BYTES);
    }
    return new IndexTuple(keys, tidBlock, tidOffset, size, flags, posting, heapTid);
  }

  private static void putTid(byte[] b, int at, int block, int offset) {
    b[at] = (byte) (block >>> 16);
    b[at + 1] = (byte) (block >>> 24);
    b[at + 2] = (byte) block;
    b[at + 3] = (byte) (block >>> 8);
    b[at + 4] = (byte) offset;
    b[at + 5] = (byte) (offset >>> 8);
  }

  private static Tid readTid(byte[] b, int at) {
    return new Tid((u16(b, at) << 16) | u16(b, at + 2), u16(b, at + 4));
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
  }

  // ---- how pageinspect shows it ----------------------------------------------------------------------

  /** bt_page_items' ctid column: the raw t_tid. */
  String ctid() {
    return "(" + tidBlock + "," + tidOffset + ")";
  }

  /** bt_page_items' data column: the key bytes (with their padding), without posting list or pivot heap TID. */
  String dataHex(KeyDesc desc) {
    byte[] b = encode(desc);
    int from = hoff();
    int to = isPosting() ? postingOffset() : pivotHeapTid != null ? size - KeyDesc.maxalign(TID_BYTES) : size;
    if (to <= from) return "";
    return HexFormat.ofDelimiter(" ").formatHex(b, from, to);
  }

  boolean hasNulls() {
    return (infoFlags & INDEX_NULL_MASK) != 0;
  }

  boolean hasVarWidth() {
    return (infoFlags & INDEX_VAR_MASK) != 0;
  }

  @Override
  public String toString() {
    String kind = isPivot() ? "pivot" : isPosting() ? "posting" : "leaf";
    return kind + Arrays.toString(keys) + ctid() + (posting != null ? Arrays.toString(posting) : "")
        + (pivotHeapTid != null ? " htid " + pivotHeapTid : "");
  }
}
