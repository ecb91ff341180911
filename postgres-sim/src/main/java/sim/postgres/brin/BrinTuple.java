package sim.postgres.brin;

import java.nio.charset.StandardCharsets;
import sim.postgres.sql.Ast.SqlType;

/**
 * One block range's summary on a regular BRIN page (brin_tuple.c's on-disk BrinTuple, one key column of the
 * minmax opclass): the range's first heap block, the allnulls / hasnulls bits, the placeholder bit of a
 * summarization in progress, and the smallest and largest value seen. Immutable: a change is a new tuple.
 */
public record BrinTuple(int heapBlk, boolean allNulls, boolean hasNulls, boolean placeholder, boolean empty, Object min,
    Object max) {
  /** SizeOfBrinTuple: bt_blkno (4 bytes) and bt_info (1). */
  static final int SIZE_OF_BRIN_TUPLE = 5;

  /** brin_memtuple_initialize: an empty range (BRIN_EMPTY_RANGE_MASK, allnulls set) until a row arrives. */
  static BrinTuple empty(int heapBlk) {
    return new BrinTuple(heapBlk, true, false, false, true, null, null);
  }

  /** brin_form_placeholder_tuple: allnulls set, bt_info's placeholder and nulls bits on. */
  static BrinTuple placeholderFor(int heapBlk) {
    return new BrinTuple(heapBlk, true, false, true, true, null, null);
  }

  /**
   * brin.c's add_values_to_range with brin_minmax_add_value: a NULL sets hasnulls (an empty range becomes
   * all-nulls); the first non-null value becomes min and max, and a range that held only NULLs keeps
   * hasnulls (the empty-range fix backpatched into 15.4); a later one widens whichever bound it passes.
   * Returns this tuple when nothing changed.
   */
  BrinTuple add(Object value) {
    if (value == null) {
      if (empty) return new BrinTuple(heapBlk, true, true, false, false, null, null);
      return hasNulls ? this : new BrinTuple(heapBlk, allNulls, true, false, false, min, max);
    }
    if (allNulls) return new BrinTuple(heapBlk, false, !empty, false, false, value, value);
    Object lo = compare(value, min) < 0 ? value : min;
    Object hi = compare(value, max) > 0 ? value : max;
    if (lo == min && hi == max) return this;
    return new BrinTuple(heapBlk, false, hasNulls, false, false, lo, hi);
  }

  /** brin_form_tuple's length: header and null bitmap MAXALIGNed, the stored min and max, MAXALIGNed. */
  int size(SqlType type) {
    boolean anyNulls = allNulls || hasNulls;
    int len = SIZE_OF_BRIN_TUPLE + (anyNulls ? bitmapLen(2) : 0);
    len = maxAlign(len);
    if (!allNulls) len = dataLen(len, type);
    return maxAlign(len);
  }

  /** heap_compute_data_size of (min, max) starting at offset {@code off}, each value aligned by its type. */
  private int dataLen(int off, SqlType type) {
    int end = off;
    for (Object v : new Object[] {min, max}) end = switch (type) {
      case INT4 -> align(end, 4) + 4;
      case INT8 -> align(end, 8) + 8;
      case BOOL -> end + 1;
      case TEXT -> end + textSize((String) v);
    };
    return end;
  }

  /** A text datum as heap_fill_tuple stores it: a 1-byte header up to 126 bytes of data, else 4-byte aligned. */
  private static int textSize(String s) {
    int n = s.getBytes(StandardCharsets.UTF_8).length;
    return n <= 126 ? n + 1 : n + 4; // a long value's alignment is left out: text keys here are short
  }

  static int bitmapLen(int bits) {
    return (bits + 7) / 8;
  }

  static int maxAlign(int n) {
    return align(n, 8);
  }

  private static int align(int n, int a) {
    return (n + a - 1) & -a;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }
}
