package sim.postgres.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import sim.core.Check;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.sql.Ast.SqlType;

/**
 * PostgreSQL's heap page layout, little-endian: PageHeaderData (pd_lsn, pd_checksum, pd_flags, pd_lower,
 * pd_upper, pd_special, pd_pagesize_version, pd_prune_xid), 4-byte ItemIdData line pointers (lp_off:15,
 * lp_flags:2, lp_len:15), and tuples from the end of the page: HeapTupleHeaderData (t_xmin, t_xmax,
 * t_cid, t_ctid, t_infomask2, t_infomask, t_hoff, null bitmap) then the aligned column data.
 */
public final class PageCodec {
  static final int LP_UNUSED = 0;
  static final int LP_NORMAL = 1;
  static final int LP_REDIRECT = 2;
  static final int LP_DEAD = 3;
  static final int PD_HAS_FREE_LINES = 0x0001;
  static final int PD_PAGE_FULL = 0x0002;
  static final int PD_ALL_VISIBLE = 0x0004;
  static final int PG_PAGE_LAYOUT_VERSION = 4;

  /** Thrown when a page's checksum does not match its contents (a torn or corrupted write). */
  public static final class ChecksumFailure extends RuntimeException {
    public ChecksumFailure(String message) {
      super(message);
    }
  }

  private PageCodec() {}

  public static byte[] encodePage(Table table, HeapPage page) {
    ByteBuffer b = ByteBuffer.allocate(HeapPage.BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
    int n = page.items.size();
    int lower = HeapPage.PAGE_HEADER_BYTES + HeapPage.ITEM_ID_BYTES * n;
    for (int i = 0; i < n; i++) {
      HeapPage.LinePointer lp = page.items.get(i);
      int off = 0;
      int len = 0;
      int flags = switch (lp.state) {
        case UNUSED -> LP_UNUSED;
        case NORMAL -> LP_NORMAL;
        case REDIRECT -> LP_REDIRECT;
        case DEAD -> LP_DEAD;
      };
      if (lp.state == HeapPage.LpState.NORMAL) {
        len = lp.tuple.length;
        off = lp.off;
        encodeTupleInto(table, lp.tuple, b.array(), off);
      } else if (lp.state == HeapPage.LpState.REDIRECT) {
        off = lp.redirectTo;
      }
      b.putInt(HeapPage.PAGE_HEADER_BYTES + 4 * i, (off & 0x7fff) | (flags << 15) | ((len & 0x7fff) << 17));
    }
    int pdFlags = (page.hasFreeLines() ? PD_HAS_FREE_LINES : 0) | (page.full ? PD_PAGE_FULL : 0)
        | (page.allVisible ? PD_ALL_VISIBLE : 0);
    b.putLong(0, Long.rotateLeft(page.lsn, 32)); // pd_lsn is {xlogid, xrecoff}
    b.putShort(10, (short) pdFlags);
    b.putShort(12, (short) lower);
    b.putShort(14, (short) page.upper());
    b.putShort(16, (short) HeapPage.BLCKSZ);
    b.putShort(18, (short) (HeapPage.BLCKSZ | PG_PAGE_LAYOUT_VERSION));
    b.putInt(20, page.pruneXid);
    byte[] out = b.array();
    setChecksum(out, page.blockNumber);
    return out;
  }

  /** Decodes a page; an all-zero page is a new, empty page. Fails with ChecksumFailure on a torn page. */
  public static HeapPage decodePage(Table table, int block, byte[] bytes) {
    HeapPage page = new HeapPage(block);
    if (isZero(bytes)) return page;
    int stored = Short.toUnsignedInt(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(8));
    if (stored != checksum(bytes, block)) {
      throw new ChecksumFailure("invalid page in block " + block + " of relation base/" + table.oid
          + ": page verification failed, calculated checksum " + checksum(bytes, block) + " but expected " + stored);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    page.lsn = Long.rotateLeft(b.getLong(0), 32);
    int pdFlags = b.getShort(10);
    page.allVisible = (pdFlags & PD_ALL_VISIBLE) != 0;
    page.full = (pdFlags & PD_PAGE_FULL) != 0;
    int lower = Short.toUnsignedInt(b.getShort(12));
    page.pruneXid = b.getInt(20);
    int n = (lower - HeapPage.PAGE_HEADER_BYTES) / HeapPage.ITEM_ID_BYTES;
    for (int i = 0; i < n; i++) {
      int lp = b.getInt(HeapPage.PAGE_HEADER_BYTES + 4 * i);
      int off = lp & 0x7fff;
      int flags = (lp >>> 15) & 3;
      int len = (lp >>> 17) & 0x7fff;
      if (flags == LP_NORMAL) {
        byte[] t = new byte[len];
        b.get(off, t);
        page.restore(i + 1, HeapPage.LpState.NORMAL, decodeTuple(table, t, new Tid(block, i + 1)), off, 0);
      } else {
        HeapPage.LpState st = flags == LP_REDIRECT ? HeapPage.LpState.REDIRECT
            : flags == LP_DEAD ? HeapPage.LpState.DEAD : HeapPage.LpState.UNUSED;
        page.restore(i + 1, st, null, 0, flags == LP_REDIRECT ? off : 0);
      }
    }
    page.setUpper(Short.toUnsignedInt(b.getShort(14)));
    return page;
  }

  public static byte[] encodeTuple(Table table, HeapTuple t) {
    byte[] out = new byte[tupleLength(table, t)];
    encodeTupleInto(table, t, out, 0);
    return out;
  }

  /** lp_len: the header with its null bitmap, then the aligned column data. */
  public static int tupleLength(Table table, HeapTuple t) {
    return t.length;
  }

  private static int hoff(Table table, HeapTuple t) {
    boolean hasNull = t.has(Infomask.HEAP_HASNULL);
    return align8(23 + (hasNull ? (table.columns.size() + 7) / 8 : 0));
  }

  /** Writes the tuple image at {@code at} in {@code dest} (which must have room); returns its length. */
  public static int encodeTupleInto(Table table, HeapTuple t, byte[] dest, int at) {
    int natts = table.types.length;
    boolean hasNull = t.has(Infomask.HEAP_HASNULL);
    int hoff = hoff(table, t);
    int len = t.length;
    java.util.Arrays.fill(dest, at, at + hoff, (byte) 0);
    putInt(dest, at, t.xmin);
    putInt(dest, at + 4, t.xmax);
    putInt(dest, at + 8, t.rawCid());
    Tid ctid = t.ctid;
    putShort(dest, at + 12, ctid.block() >>> 16);
    putShort(dest, at + 14, ctid.block());
    putShort(dest, at + 16, ctid.offset());
    putShort(dest, at + 18, t.infomask2);
    putShort(dest, at + 20, t.infomask);
    dest[at + 22] = (byte) hoff;
    int off = hoff;
    for (int i = 0; i < natts; i++) {
      Object v = t.values[i];
      if (v == null) continue;
      if (hasNull) dest[at + 23 + i / 8] |= (byte) (1 << (i % 8));
      switch (table.types[i]) {
        case INT4 -> {
          off = pad(dest, at, off, 4);
          putInt(dest, at + off, (int) (long) (Long) v);
          off += 4;
        }
        case INT8 -> {
          off = pad(dest, at, off, 8);
          putInt(dest, at + off, (int) (long) (Long) v);
          putInt(dest, at + off + 4, (int) ((Long) v >>> 32));
          off += 8;
        }
        case BOOL -> dest[at + off++] = (byte) ((Boolean) v ? 1 : 0);
        case TEXT -> {
          byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
          if (s.length + 1 <= 127) {
            dest[at + off++] = (byte) (((s.length + 1) << 1) | 1); // 1-byte varlena header
          } else {
            off = pad(dest, at, off, 4);
            putInt(dest, at + off, (s.length + 4) << 2);
            off += 4;
          }
          System.arraycopy(s, 0, dest, at + off, s.length);
          off += s.length;
        }
      }
    }
    Check.state(off == len, "tuple image of %s bytes, lp_len says %s", off, len);
    return len;
  }

  /** Zeroes the alignment padding before a value and returns the aligned offset. */
  private static int pad(byte[] dest, int at, int off, int alignment) {
    int aligned = align(off, alignment);
    for (int i = off; i < aligned; i++) dest[at + i] = 0;
    return aligned;
  }

  private static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  public static HeapTuple decodeTuple(Table table, byte[] bytes, Tid self) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int natts = table.columns.size();
    int infomask = Short.toUnsignedInt(b.getShort(20));
    boolean hasNull = (infomask & Infomask.HEAP_HASNULL) != 0;
    int off = Byte.toUnsignedInt(b.get(22));
    Object[] vals = new Object[natts];
    for (int i = 0; i < natts; i++) {
      if (hasNull && (b.get(23 + i / 8) & (1 << (i % 8))) == 0) continue;
      switch (table.columns.get(i).type()) {
        case INT4 -> {
          off = align(off, 4);
          vals[i] = (long) b.getInt(off);
          off += 4;
        }
        case INT8 -> {
          off = align(off, 8);
          vals[i] = b.getLong(off);
          off += 8;
        }
        case BOOL -> vals[i] = b.get(off++) != 0;
        case TEXT -> {
          int len;
          if ((b.get(off) & 1) == 1) {
            len = (Byte.toUnsignedInt(b.get(off)) >>> 1) - 1;
            off++;
          } else {
            off = align(off, 4);
            len = (b.getInt(off) >>> 2) - 4;
            off += 4;
          }
          vals[i] = new String(bytes, off, len, StandardCharsets.UTF_8);
          off += len;
        }
      }
    }
    HeapTuple t = HeapTuple.of(table, vals);
    t.xmin = b.getInt(0);
    t.xmax = b.getInt(4);
    t.cmin = b.getInt(8);
    t.cmax = -1;
    t.ctid = new Tid((Short.toUnsignedInt(b.getShort(12)) << 16) | Short.toUnsignedInt(b.getShort(14)), Short.toUnsignedInt(b.getShort(16)));
    t.selfTid = self;
    t.infomask2 = Short.toUnsignedInt(b.getShort(18));
    t.infomask = infomask;
    return t;
  }

  /**
   * A 16-bit page checksum over the page with pd_checksum zeroed, mixed with the block number and kept
   * non-zero, as pg_checksum_page does (PostgreSQL's inner hash is an FNV-1a variant; this is CRC-32C).
   */
  static int checksum(byte[] page, int block) {
    CRC32C crc = new CRC32C();
    crc.update(page, 0, 8);
    crc.update(new byte[2]);
    crc.update(page, 10, page.length - 10);
    long v = (crc.getValue() ^ block) & 0xffffffffL;
    return (int) (v % 65535) + 1;
  }

  public static void setChecksum(byte[] page, int block) {
    int c = checksum(page, block);
    page[8] = (byte) c;
    page[9] = (byte) (c >>> 8);
  }

  /** Whether the page's stored checksum matches its contents (a torn or corrupted page does not). */
  public static boolean checksumOk(byte[] page, int block) {
    int stored = Short.toUnsignedInt(ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getShort(8));
    return stored == checksum(page, block);
  }

  public static boolean isZero(byte[] b) {
    for (byte x : b) if (x != 0) return false;
    return true;
  }

  static int align8(int n) {
    return align(n, 8);
  }

  static int align(int n, int a) {
    return (n + a - 1) / a * a;
  }
}
