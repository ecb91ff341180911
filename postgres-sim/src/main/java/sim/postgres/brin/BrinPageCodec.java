package sim.postgres.brin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.wal.PageCodec;

/**
 * BRIN pages in PostgreSQL's layout, for the relation file and full-page images: PageHeaderData; the
 * metapage's BrinMetaPageData, a revmap page's ItemPointerData array, or a regular page's line pointers and
 * BRIN tuples (bt_blkno, bt_info with the data offset and the nulls, placeholder and empty-range bits, the
 * allnulls/hasnulls bitmap, then min and max); the special space ends with the flags and the page type.
 */
public final class BrinPageCodec {
  static final int SPECIAL_OFFSET = BrinPage.BLCKSZ - BrinPage.SPECIAL;
  static final int LP_UNUSED = 0;
  static final int LP_NORMAL = 1;
  static final int NULLS_MASK = 0x80;
  static final int PLACEHOLDER_MASK = 0x40;
  static final int EMPTY_RANGE_MASK = 0x20;

  private BrinPageCodec() {}

  public static byte[] encode(BrinIndex ix, BrinPage p) {
    ByteBuffer b = ByteBuffer.allocate(BrinPage.BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
    int lower = BrinPage.PAGE_HEADER;
    int upper = SPECIAL_OFFSET;
    switch (p.type) {
      case META -> {
        b.putInt(lower, BrinIndex.BRIN_META_MAGIC).putInt(lower + 4, BrinIndex.BRIN_CURRENT_VERSION)
            .putInt(lower + 8, ix.pagesPerRange).putInt(lower + 12, ix.lastRevmapPage);
        lower += 16;
      }
      case REVMAP -> {
        for (int i = 0; i < BrinPage.REVMAP_PAGE_MAXITEMS; i++) {
          int at = BrinPage.PAGE_HEADER + 6 * i;
          b.putShort(at, (short) (p.revBlk[i] >>> 16)).putShort(at + 2, (short) p.revBlk[i]).putShort(at + 4, (short) p.revOff[i]);
        }
        lower = BrinPage.BLCKSZ - BrinPage.SPECIAL; // PageInit leaves pd_lower; the revmap sets it past the array
      }
      case REGULAR -> {
        for (int i = 0; i < p.items.size(); i++) {
          BrinTuple t = p.items.get(i);
          int lp = 0;
          if (t != null) {
            byte[] bytes = encodeTuple(ix.keyType, t);
            upper -= bytes.length;
            b.put(upper, bytes);
            lp = (upper & 0x7fff) | (LP_NORMAL << 15) | ((bytes.length & 0x7fff) << 17);
          }
          b.putInt(BrinPage.PAGE_HEADER + 4 * i, lp);
        }
        lower += 4 * p.items.size();
      }
    }
    b.putLong(0, Long.rotateLeft(p.lsn, 32));
    b.putShort(12, (short) lower).putShort(14, (short) upper).putShort(16, (short) SPECIAL_OFFSET).putShort(18, (short) (BrinPage.BLCKSZ | 4));
    b.putShort(BrinPage.BLCKSZ - 4, (short) p.flags).putShort(BrinPage.BLCKSZ - 2, (short) p.type.code);
    byte[] out = b.array();
    PageCodec.setChecksum(out, p.blkno);
    return out;
  }

  /** Reads a page {@link #encode} wrote; a checksum mismatch (a torn write) throws ChecksumFailure. */
  public static BrinPage decode(BrinIndex ix, int blkno, byte[] bytes) {
    if (!PageCodec.checksumOk(bytes, blkno)) {
      throw new PageCodec.ChecksumFailure("invalid page in block " + blkno + " of index " + ix.name);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int code = Short.toUnsignedInt(b.getShort(BrinPage.BLCKSZ - 2));
    BrinPage.Type type = code == BrinPage.Type.META.code ? BrinPage.Type.META
        : code == BrinPage.Type.REVMAP.code ? BrinPage.Type.REVMAP : BrinPage.Type.REGULAR;
    BrinPage p = new BrinPage(blkno, type);
    p.flags = Short.toUnsignedInt(b.getShort(BrinPage.BLCKSZ - 4));
    p.lsn = Long.rotateLeft(b.getLong(0), 32);
    if (type == BrinPage.Type.META) {
      ix.setLastRevmapPage(b.getInt(BrinPage.PAGE_HEADER + 12));
    } else if (type == BrinPage.Type.REVMAP) {
      for (int i = 0; i < BrinPage.REVMAP_PAGE_MAXITEMS; i++) {
        int at = BrinPage.PAGE_HEADER + 6 * i;
        p.revBlk[i] = (Short.toUnsignedInt(b.getShort(at)) << 16) | Short.toUnsignedInt(b.getShort(at + 2));
        p.revOff[i] = Short.toUnsignedInt(b.getShort(at + 4));
      }
    } else {
      int n = (Short.toUnsignedInt(b.getShort(12)) - BrinPage.PAGE_HEADER) / 4;
      for (int i = 0; i < n; i++) {
        int lp = b.getInt(BrinPage.PAGE_HEADER + 4 * i);
        p.items.add(((lp >>> 15) & 3) == LP_UNUSED ? null : decodeTuple(ix.keyType, bytes, lp & 0x7fff));
      }
    }
    return p;
  }

  /** pd_lsn of a page image. */
  public static long storedLsn(byte[] image) {
    return Long.rotateLeft(ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(0), 32);
  }

  /** brin_form_tuple's bytes (one column): the header, the bitmap when any nulls, then min and max. */
  static byte[] encodeTuple(SqlType type, BrinTuple t) {
    ByteBuffer b = ByteBuffer.allocate(t.size(type)).order(ByteOrder.LITTLE_ENDIAN);
    boolean anyNulls = t.allNulls() || t.hasNulls();
    int hoff = BrinTuple.maxAlign(BrinTuple.SIZE_OF_BRIN_TUPLE + (anyNulls ? 1 : 0));
    int info = hoff | (anyNulls ? NULLS_MASK : 0) | (t.placeholder() ? PLACEHOLDER_MASK : 0) | (t.empty() ? EMPTY_RANGE_MASK : 0);
    b.putInt(0, t.heapBlk()).put(4, (byte) info);
    if (anyNulls) b.put(5, (byte) ((t.allNulls() ? 1 : 0) | (t.hasNulls() ? 2 : 0)));
    if (t.allNulls()) return b.array();
    int at = hoff;
    for (Object v : new Object[] {t.min(), t.max()}) at = putValue(b, at, type, v);
    return b.array();
  }

  private static int putValue(ByteBuffer b, int at, SqlType type, Object v) {
    switch (type) {
      case INT4 -> {
        at = (at + 3) & -4;
        b.putInt(at, ((Long) v).intValue());
        return at + 4;
      }
      case INT8 -> {
        at = (at + 7) & -8;
        b.putLong(at, (Long) v);
        return at + 8;
      }
      case BOOL -> {
        b.put(at, (byte) ((Boolean) v ? 1 : 0));
        return at + 1;
      }
      default -> {
        byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
        b.put(at, (byte) (((s.length + 1) << 1) | 1)); // a 1-byte varlena header
        b.put(at + 1, s);
        return at + 1 + s.length;
      }
    }
  }

  static BrinTuple decodeTuple(SqlType type, byte[] page, int off) {
    ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
    int blk = b.getInt(off);
    int info = Byte.toUnsignedInt(b.get(off + 4));
    boolean anyNulls = (info & NULLS_MASK) != 0;
    int bits = anyNulls ? b.get(off + 5) : 0;
    boolean allNulls = (bits & 1) != 0;
    boolean hasNulls = (bits & 2) != 0;
    boolean placeholder = (info & PLACEHOLDER_MASK) != 0;
    boolean empty = (info & EMPTY_RANGE_MASK) != 0;
    if (allNulls) return new BrinTuple(blk, true, hasNulls, placeholder, empty, null, null);
    Object[] vals = new Object[2];
    int at = off + (info & 0x1f);
    for (int i = 0; i < 2; i++) {
      switch (type) {
        case INT4 -> {
          at = off + (((at - off) + 3) & -4);
          vals[i] = (long) b.getInt(at);
          at += 4;
        }
        case INT8 -> {
          at = off + (((at - off) + 7) & -8);
          vals[i] = b.getLong(at);
          at += 8;
        }
        case BOOL -> {
          vals[i] = b.get(at) != 0;
          at += 1;
        }
        default -> {
          int len = (Byte.toUnsignedInt(b.get(at)) >>> 1) - 1;
          vals[i] = new String(page, at + 1, len, StandardCharsets.UTF_8);
          at += 1 + len;
        }
      }
    }
    return new BrinTuple(blk, false, hasNulls, placeholder, empty, vals[0], vals[1]);
  }

  /** Redo of a page image: replaces the page (the metapage's fields included). */
  public static void restore(BrinIndex ix, int block, byte[] image, long lsn) {
    BrinPage p = decode(ix, block, image);
    if (lsn >= 0) p.lsn = lsn;
    ix.putPage(p);
  }
}
