package sim.postgres.brin;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.sql.Ast.SqlType;

/**
 * One 8 KiB page of a BRIN index (brin_page.h): the metapage (block 0), a revmap page (an array of
 * REVMAP_PAGE_MAXITEMS item pointers, one per block range, to where that range's summary lives) or a
 * regular page of BRIN tuples behind line pointers. The special space holds the page type and the
 * BRIN_EVACUATE_PAGE flag.
 */
public final class BrinPage {
  public static final int BLCKSZ = 8192;
  /** SizeOfPageHeaderData, sizeof(ItemIdData), MAXALIGN(sizeof(BrinSpecialSpace)). */
  static final int PAGE_HEADER = 24;
  static final int ITEM_ID = 4;
  static final int SPECIAL = 8;
  /** REVMAP_CONTENT_SIZE / sizeof(ItemPointerData): (8192 - 24 - 8) / 6. */
  public static final int REVMAP_PAGE_MAXITEMS = (BLCKSZ - PAGE_HEADER - SPECIAL) / 6;
  /** BrinMaxItemSize: what an empty regular page can take. */
  static final int MAX_ITEM_SIZE = (BLCKSZ - (((PAGE_HEADER + ITEM_ID) + 7) & -8) - SPECIAL) & -8;
  public static final int BRIN_EVACUATE_PAGE = 1;

  /** BRIN_PAGETYPE_META, _REVMAP, _REGULAR as pageinspect's brin_page_type names them. */
  public enum Type {
    META(0xF091, "meta"), REVMAP(0xF092, "revmap"), REGULAR(0xF093, "regular");

    public final int code;
    public final String pageinspectName;

    Type(int code, String name) {
      this.code = code;
      this.pageinspectName = name;
    }
  }

  public final int blkno;
  Type type;
  int flags;
  public long lsn;
  /** A revmap page's entries: heap block and offset of each range's tuple, (0,0) for none. */
  int[] revBlk;
  int[] revOff;
  /** A regular page's items by offset - 1; null is an LP_UNUSED line pointer. */
  final List<BrinTuple> items = new ArrayList<>();

  BrinPage(int blkno, Type type) {
    this.blkno = blkno;
    init(type);
  }

  /** brin_page_init: an empty page of this type (a regular page evacuated for the revmap starts over). */
  void init(Type t) {
    type = t;
    flags = 0;
    items.clear();
    revBlk = t == Type.REVMAP ? new int[REVMAP_PAGE_MAXITEMS] : null;
    revOff = t == Type.REVMAP ? new int[REVMAP_PAGE_MAXITEMS] : null;
  }

  public Type type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public int maxOffset() {
    return items.size();
  }

  /** The tuple at line pointer {@code off} (1-based), or null when unused. */
  public BrinTuple item(int off) {
    return off >= 1 && off <= items.size() ? items.get(off - 1) : null;
  }

  /** pd_upper - pd_lower: PageGetExactFreeSpace. */
  int exactFreeSpace(SqlType keyType) {
    int used = 0;
    for (BrinTuple t : items) if (t != null) used += t.size(keyType);
    return (BLCKSZ - SPECIAL - used) - (PAGE_HEADER + ITEM_ID * items.size());
  }

  /** PageGetFreeSpace: the exact free space less one line pointer for the next item. */
  int pageFreeSpace(SqlType keyType) {
    int space = exactFreeSpace(keyType);
    return space < ITEM_ID ? 0 : space - ITEM_ID;
  }

  /** br_page_get_freespace: none on a page that is not regular or is being evacuated for the revmap. */
  int brinFreeSpace(SqlType keyType) {
    if (type != Type.REGULAR || (flags & BRIN_EVACUATE_PAGE) != 0) return 0;
    return pageFreeSpace(keyType);
  }

  /** PageAddItem with InvalidOffsetNumber: a new line pointer after the last. */
  int add(BrinTuple t) {
    items.add(t);
    return items.size();
  }

  /** PageIndexTupleDeleteNoCompact: the line pointer becomes unused (the last one is removed). */
  void delete(int off) {
    items.set(off - 1, null);
    if (off == items.size()) items.remove(off - 1);
  }
}
