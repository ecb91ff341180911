package sim.postgres.nbtree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import sim.postgres.wal.PageCodec;

/**
 * nbtree pages in PostgreSQL's layout, for the relation file and full-page images: PageHeaderData, line
 * pointers (LP_NORMAL, or LP_DEAD for killed entries), the index tuples from the end of the page, and the
 * special space BTPageOpaqueData (btpo_prev, btpo_next, btpo_level, btpo_flags, btpo_cycleid). Block 0 is
 * the metapage: BTMetaPageData right after the header. Tuples are laid out in item order; PostgreSQL puts
 * each new tuple wherever pd_upper was, so raw images differ in where tuples sit, not in what
 * pageinspect shows.
 */
public final class BtPageCodec {
  static final int LP_NORMAL = 1;
  static final int LP_DEAD = 3;
  static final int SPECIAL_OFFSET = BtPage.BLCKSZ - BtPage.SPECIAL;

  private BtPageCodec() {}

  public static byte[] encode(BTree tree, BtPage page) {
    ByteBuffer b = ByteBuffer.allocate(BtPage.BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
    int n = page.items.size();
    int upper = SPECIAL_OFFSET;
    for (int i = 0; i < n; i++) {
      BtPage.Item it = page.items.get(i);
      byte[] t = it.tuple.encode(tree.desc);
      upper -= KeyDesc.maxalign(t.length);
      b.put(upper, t);
      b.putInt(BtPage.PAGE_HEADER + 4 * i, (upper & 0x7fff) | ((it.dead ? LP_DEAD : LP_NORMAL) << 15) | ((t.length & 0x7fff) << 17));
    }
    header(b, page.lsn, BtPage.PAGE_HEADER + 4 * n, upper);
    special(b, page.prev, page.next, page.level, page.flags, page.cycleid);
    byte[] out = b.array();
    PageCodec.setChecksum(out, page.blkno);
    return out;
  }

  /** The metapage (block 0): magic, version, root, level, fastroot, fastlevel, cleanup fields, allequalimage. */
  public static byte[] encodeMeta(BTree tree) {
    ByteBuffer b = ByteBuffer.allocate(BtPage.BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
    int at = BtPage.PAGE_HEADER;
    b.putInt(at, BTree.BTREE_MAGIC).putInt(at + 4, BTree.BTREE_VERSION).putInt(at + 8, tree.root).putInt(at + 12, tree.level)
        .putInt(at + 16, tree.fastroot).putInt(at + 20, tree.fastlevel).putInt(at + 24, 0).putDouble(at + 32, -1.0);
    b.put(at + 40, (byte) 1);
    header(b, tree.metaLsn, at + 48, SPECIAL_OFFSET);
    special(b, 0, 0, 0, BtPage.BTP_META, 0);
    byte[] out = b.array();
    PageCodec.setChecksum(out, 0);
    return out;
  }

  private static void header(ByteBuffer b, long lsn, int lower, int upper) {
    b.putLong(0, Long.rotateLeft(lsn, 32));
    b.putShort(12, (short) lower);
    b.putShort(14, (short) upper);
    b.putShort(16, (short) SPECIAL_OFFSET);
    b.putShort(18, (short) (BtPage.BLCKSZ | 4));
  }

  private static void special(ByteBuffer b, int prev, int next, int level, int flags, int cycleid) {
    b.putInt(SPECIAL_OFFSET, prev).putInt(SPECIAL_OFFSET + 4, next).putInt(SPECIAL_OFFSET + 8, level)
        .putShort(SPECIAL_OFFSET + 12, (short) flags).putShort(SPECIAL_OFFSET + 14, (short) cycleid);
  }

  /** An index tuple's on-page bytes (an XLOG_BTREE_INSERT record's payload). */
  public static byte[] encodeTuple(BTree tree, IndexTuple t) {
    return t.encode(tree.desc);
  }

  /** Redo of an insert record: the tuple goes in at {@code offset}. */
  public static void redoInsert(BTree tree, int block, int offset, byte[] tuple, long lsn) {
    BtPage p = tree.page(block);
    p.add(offset, IndexTuple.decode(tree.desc, tuple, 0));
    p.lsn = lsn;
  }

  /** Redo of a page image: replaces the page (block 0: the metapage fields). */
  public static void restore(BTree tree, int block, byte[] image, long lsn) {
    if (block == 0) {
      decodeMeta(tree, image);
      tree.metaLsn = lsn;
      return;
    }
    BtPage p = decode(tree, block, image);
    p.lsn = lsn;
    tree.putPage(p);
  }

  /** pd_lsn of a page image. */
  public static long storedLsn(byte[] image) {
    return Long.rotateLeft(ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(0), 32);
  }

  /** Reads a page {@link #encode} wrote; a checksum mismatch (a torn write) throws ChecksumFailure. */
  public static BtPage decode(BTree tree, int blkno, byte[] bytes) {
    if (!PageCodec.checksumOk(bytes, blkno)) {
      throw new PageCodec.ChecksumFailure("invalid page in block " + blkno + " of index " + tree.name);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int lower = Short.toUnsignedInt(b.getShort(12));
    BtPage page = new BtPage(blkno, b.getInt(SPECIAL_OFFSET + 8), Short.toUnsignedInt(b.getShort(SPECIAL_OFFSET + 12)));
    page.prev = b.getInt(SPECIAL_OFFSET);
    page.next = b.getInt(SPECIAL_OFFSET + 4);
    page.cycleid = Short.toUnsignedInt(b.getShort(SPECIAL_OFFSET + 14));
    page.lsn = Long.rotateLeft(b.getLong(0), 32);
    int n = (lower - BtPage.PAGE_HEADER) / 4;
    for (int i = 0; i < n; i++) {
      int lp = b.getInt(BtPage.PAGE_HEADER + 4 * i);
      BtPage.Item it = new BtPage.Item(IndexTuple.decode(tree.desc, bytes, lp & 0x7fff));
      it.dead = ((lp >>> 15) & 3) == LP_DEAD;
      page.items.add(it);
    }
    return page;
  }

  /** Restores the metapage's fields into {@code tree}. */
  public static void decodeMeta(BTree tree, byte[] bytes) {
    if (!PageCodec.checksumOk(bytes, 0)) throw new PageCodec.ChecksumFailure("invalid metapage of index " + tree.name);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int at = BtPage.PAGE_HEADER;
    tree.root = b.getInt(at + 8);
    tree.level = b.getInt(at + 12);
    tree.fastroot = b.getInt(at + 16);
    tree.fastlevel = b.getInt(at + 20);
    tree.metaLsn = Long.rotateLeft(b.getLong(0), 32);
  }
}
