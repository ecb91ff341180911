package sim.postgres.nbtree;

import java.nio.charset.StandardCharsets;
import java.util.List;
import sim.postgres.sql.Ast.SqlType;

/**
 * The key columns of a B-tree index: their types, how each value is laid out in an index tuple (as
 * index_form_tuple lays it out: int4 4-byte aligned, int8 8, bool 1, text with a 1-byte varlena header up
 * to 126 bytes) and how two keys compare (the default btree operator classes, ASC NULLS LAST; text by
 * byte, i.e. the C collation).
 */
public record KeyDesc(List<SqlType> types) {
  public KeyDesc {
    types = List.copyOf(types);
  }

  public int natts() {
    return types.size();
  }

  static int align(int n, int a) {
    return (n + a - 1) / a * a;
  }

  static int maxalign(int n) {
    return align(n, 8);
  }

  /** The byte length of the attribute data of the first {@code n} values, each at its alignment. */
  int dataLength(Object[] values, int n) {
    int off = 0;
    for (int i = 0; i < n; i++) {
      Object v = values[i];
      if (v == null) continue;
      switch (types.get(i)) {
        case INT4 -> off = align(off, 4) + 4;
        case INT8 -> off = align(off, 8) + 8;
        case BOOL -> off += 1;
        case TEXT -> {
          int len = ((String) v).getBytes(StandardCharsets.UTF_8).length;
          off = len + 1 <= 127 ? off + 1 + len : align(off, 4) + 4 + len;
        }
      }
    }
    return off;
  }

  /** Writes the first {@code n} values' data at {@code at} (zeroed padding); returns the bytes written. */
  int writeData(Object[] values, int n, byte[] dest, int at) {
    int off = 0;
    for (int i = 0; i < n; i++) {
      Object v = values[i];
      if (v == null) continue;
      switch (types.get(i)) {
        case INT4 -> {
          off = align(off, 4);
          putInt(dest, at + off, (int) (long) (Long) v);
          off += 4;
        }
        case INT8 -> {
          off = align(off, 8);
          long l = (Long) v;
          putInt(dest, at + off, (int) l);
          putInt(dest, at + off + 4, (int) (l >>> 32));
          off += 8;
        }
        case BOOL -> dest[at + off++] = (byte) ((Boolean) v ? 1 : 0);
        case TEXT -> {
          byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
          if (s.length + 1 <= 127) {
            dest[at + off++] = (byte) (((s.length + 1) << 1) | 1);
          } else {
            off = align(off, 4);
            putInt(dest, at + off, (s.length + 4) << 2);
            off += 4;
          }
          System.arraycopy(s, 0, dest, at + off, s.length);
          off += s.length;
        }
      }
    }
    return off;
  }

  /** Reads {@code n} values laid out by {@link #writeData}; {@code present[i]} false means NULL. */
  Object[] readData(byte[] src, int at, int n, boolean[] present) {
    Object[] out = new Object[n];
    int off = 0;
    for (int i = 0; i < n; i++) {
      if (!present[i]) continue;
      switch (types.get(i)) {
        case INT4 -> {
          off = align(off, 4);
          out[i] = (long) getInt(src, at + off);
          off += 4;
        }
        case INT8 -> {
          off = align(off, 8);
          out[i] = (getInt(src, at + off) & 0xffffffffL) | ((long) getInt(src, at + off + 4) << 32);
          off += 8;
        }
        case BOOL -> out[i] = src[at + off++] != 0;
        case TEXT -> {
          int len;
          if ((src[at + off] & 1) == 1) {
            len = ((src[at + off] & 0xff) >>> 1) - 1;
            off++;
          } else {
            off = align(off, 4);
            len = (getInt(src, at + off) >>> 2) - 4;
            off += 4;
          }
          out[i] = new String(src, at + off, len, StandardCharsets.UTF_8);
          off += len;
        }
      }
    }
    return out;
  }

  boolean hasVarWidth(Object[] values, int n) {
    for (int i = 0; i < n; i++) if (values[i] != null && types.get(i) == SqlType.TEXT) return true;
    return false;
  }

  /** Compares two full keys attribute by attribute. */
  public int compare(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      int r = compareValue(a[i], b[i]);
      if (r != 0) return r;
    }
    return 0;
  }

  /** btree comparison of one attribute, ASC NULLS LAST: a NULL sorts after every value. */
  static int compareValue(Object a, Object b) {
    if (a == null || b == null) return a == b ? 0 : a == null ? 1 : -1;
    if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
    if (a instanceof Boolean x && b instanceof Boolean y) return Boolean.compare(x, y);
    return compareText((String) a, (String) b);
  }

  /** The C collation: memcmp of the UTF-8 bytes, then the shorter first. */
  static int compareText(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16) | ((b[at + 3] & 0xff) << 24);
  }
}
