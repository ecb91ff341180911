package sim.postgres.heap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.sql.SqlException;

/** A heap relation: columns, pages in block order, and the B-tree indexes defined on it. */
public final class Table {
  /** A B-tree index's catalog entry (pg_index): its relation OID names its file, base/&lt;oid&gt;. */
  public record Index(String name, int oid, List<Integer> columns, boolean unique, boolean primary) {
    /** The index key of a heap tuple's values; null if a key column is NULL (NULLs never collide). */
    public Object[] keyOf(Object[] values) {
      Object[] k = new Object[columns.size()];
      for (int i = 0; i < k.length; i++) k[i] = values[columns.get(i)];
      return k;
    }
  }

  /** A BRIN index's catalog entry: one key column (minmax opclass) and the pages_per_range reloption. */
  public record Brin(String name, int oid, int column, int pagesPerRange) {}

  public final String name;
  public final int oid;
  public final List<ColumnDef> columns;
  /** The columns' types by position (the hot path's view of {@link #columns}). */
  public final SqlType[] types;
  public final List<HeapPage> pages = new ArrayList<>();
  public final List<Index> indexes = new ArrayList<>();
  /** BRIN indexes (pg_index rows of access method brin): kept apart from the B-trees the rest of the engine walks. */
  public final List<Brin> brinIndexes = new ArrayList<>();
  /** pg_class.reltuples as of the last VACUUM; -1 = never vacuumed. */
  public double relTuples = -1;
  /** pg_class.relpages and relallvisible as of the last VACUUM or ANALYZE (0 before either). */
  public int relPages;
  public int relAllVisible;
  /** pg_statistic's rows for this table from the last ANALYZE; null if never analyzed. */
  public sim.postgres.planner.RelStats stats;
  /** Dead tuples counted since the last VACUUM (pgstat n_dead_tup). */
  public long deadTuples;
  /** pg_class.relfrozenxid. */
  public int relFrozenXid;
  /** The fillfactor storage parameter: inserts leave 100 - fillfactor percent of each page free. */
  public int fillfactor = 100;
  /** smgr_targblock: the block the last insert used; -1 when unknown (a new relcache entry, after VACUUM). */
  private int targetBlock = -1;
  private final FreeSpaceMap fsm = new FreeSpaceMap();

  public Table(String name, int oid, List<ColumnDef> columns) {
    this.name = name;
    this.oid = oid;
    this.columns = List.copyOf(columns);
    this.types = this.columns.stream().map(ColumnDef::type).toArray(SqlType[]::new);
    this.fixedLength = fixedLength(types);
  }

  /** lp_len of a tuple with no NULLs when every column is fixed-width (no text), else -1: computed once. */
  private final int fixedLength;

  private static int fixedLength(SqlType[] types) {
    int off = align(23, 8);
    for (SqlType t : types) {
      switch (t) {
        case INT4 -> off = align(off, 4) + 4;
        case INT8 -> off = align(off, 8) + 8;
        case BOOL -> off += 1;
        case TEXT -> {
          return -1;
        }
      }
    }
    return off;
  }

  public int columnIndex(String col) {
    for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(col)) return i;
    return -1;
  }

  public int requireColumn(String col) {
    int i = columnIndex(col);
    if (i < 0) throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column \"%s\" does not exist", col);
    return i;
  }

  /** Columns that appear in any index: changing one of them forbids a HOT update. */
  public boolean isIndexed(int column) {
    // PostgreSQL 15 counts every index's columns, BRIN's too, when it decides whether an update can be HOT
    return indexes.stream().anyMatch(ix -> ix.columns().contains(column))
        || brinIndexes.stream().anyMatch(b -> b.column() == column);
  }

  /** Key columns for row-lock purposes: those of unique indexes (what a foreign key could reference). */
  public boolean isKey(int column) {
    return indexes.stream().anyMatch(ix -> ix.unique() && ix.columns().contains(column));
  }

  /**
   * RelationGetBufferForTuple: the page a new tuple goes to, or null to extend the relation. First the
   * block the last insert used (smgr_targblock), else the free space map's answer, else the last page;
   * a page with less room than asked has its real free space recorded and the map is asked again.
   */
  public HeapPage freeSpacePage(int sizeBytes) {
    int need = targetFreeSpace(sizeBytes);
    int target = targetBlock >= 0 && targetBlock < pages.size() ? targetBlock : fsm.search(need, pages.size());
    if (target < 0) target = pages.size() - 1;
    for (int tries = 0; target >= 0 && tries <= pages.size(); tries++) {
      HeapPage p = pages.get(target);
      int free = p.heapFreeSpace();
      if (need <= free) {
        targetBlock = target;
        return p;
      }
      fsm.record(target, free); // RecordAndGetPageWithFreeSpace
      target = fsm.search(need, pages.size());
    }
    return null;
  }

  /** The fillfactor's reserve on top of the tuple, unless that could only fit an empty page (nearlyEmptyFreeSpace). */
  private int targetFreeSpace(int sizeBytes) {
    int nearlyEmpty = FreeSpaceMap.MAX_FSM_REQUEST_SIZE - (MAX_HEAP_TUPLES_PER_PAGE / 8 * HeapPage.ITEM_ID_BYTES);
    int save = saveFreeSpace();
    return sizeBytes + save > nearlyEmpty ? Math.max(sizeBytes, nearlyEmpty) : sizeBytes + save;
  }

  /** MaxHeapTuplesPerPage for 8 KiB pages. */
  static final int MAX_HEAP_TUPLES_PER_PAGE = 291;

  /** A new page the relation was extended by: later inserts try it first. */
  public void extendedBy(HeapPage page) {
    targetBlock = page.blockNumber;
  }

  /** VACUUM recorded every page's free space; the relcache invalidation it causes forgets the target block. */
  public void vacuumed() {
    for (HeapPage p : pages) fsm.record(p.blockNumber, p.heapFreeSpace());
    targetBlock = -1;
  }

  /** RelationGetTargetPageFreeSpace: what inserts leave free on each page. */
  public int saveFreeSpace() {
    return HeapPage.BLCKSZ * (100 - fillfactor) / 100;
  }

  public HeapTuple fetch(Tid tid) {
    if (tid.block() >= pages.size()) return null;
    return pages.get(tid.block()).tuple(tid.offset());
  }

  /** Tuple size on the page as heap_form_tuple lays it out, MAXALIGNed: what the tuple takes from free space. */
  public int tupleSize(Object[] values) {
    return align(tupleLength(values), 8);
  }

  /**
   * lp_len: a 23-byte header with the null bitmap if any value is null, MAXALIGNed (t_hoff), then each
   * non-null value at its type's alignment: int4 4, int8 8, bool 1, text with a 1-byte varlena header up to
   * 126 bytes (unaligned) or a 4-byte one (int-aligned).
   */
  public int tupleLength(Object[] values) {
    boolean hasNull = false;
    for (Object v : values) hasNull |= v == null;
    if (!hasNull && fixedLength >= 0) return fixedLength; // the insert hot path: the same layout every row
    int off = align(23 + (hasNull ? (values.length + 7) / 8 : 0), 8);
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) continue;
      switch (types[i]) {
        case INT4 -> off = align(off, 4) + 4;
        case INT8 -> off = align(off, 8) + 8;
        case BOOL -> off += 1;
        case TEXT -> {
          int len = utf8Length((String) v);
          off = len + 1 <= 127 ? off + 1 + len : align(off, 4) + 4 + len;
        }
      }
    }
    return off;
  }

  /** UTF-8 byte length without encoding (ASCII is one byte a char). */
  public static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) continue;
      return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    return n;
  }

  public static int align(int n, int a) {
    return (n + a - 1) / a * a;
  }

  /** Visits every tuple with a NORMAL line pointer in physical order (a sequential scan's order). */
  public void forEachTuple(BiConsumer<Tid, HeapTuple> visit) {
    for (HeapPage p : pages) {
      for (int i = 0; i < p.items.size(); i++) {
        HeapTuple t = p.tuple(i + 1);
        if (t != null) visit.accept(new Tid(p.blockNumber, i + 1), t);
      }
    }
  }

  /** The tuple a TID leads to, following a redirect line pointer left by pruning (null if none). */
  public Tid resolve(Tid tid) {
    if (tid.block() >= pages.size()) return null;
    HeapPage p = pages.get(tid.block());
    if (tid.offset() < 1 || tid.offset() > p.items.size()) return null;
    HeapPage.LinePointer lp = p.items.get(tid.offset() - 1);
    if (lp.state == HeapPage.LpState.REDIRECT) return new Tid(tid.block(), lp.redirectTo);
    return lp.state == HeapPage.LpState.NORMAL ? tid : null;
  }
}
