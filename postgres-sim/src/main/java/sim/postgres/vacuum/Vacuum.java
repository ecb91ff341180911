package sim.postgres.vacuum;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.Map;
import java.util.TreeMap;
import sim.postgres.heap.Tid;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Visibility;
import sim.postgres.mvcc.Xids;

/**
 * VACUUM (lazy, not FULL): a tuple is removable only when HeapTupleSatisfiesVacuum says DEAD against the
 * oldest xmin any transaction may still use, so a long REPEATABLE READ transaction holds the horizon back.
 * Dead HOT chain members free their line pointers; a dead chain root with a live successor becomes a
 * redirect; other dead roots are freed, and the caller removes their index entries (btbulkdelete) before
 * anything can reuse the line pointer. Pages whose tuples are all visible
 * to everyone get the all-visible bit (the visibility map); old xmins are frozen.
 */
public final class Vacuum {
  /** vacuum_freeze_min_age default. */
  public static final int VACUUM_FREEZE_MIN_AGE = 50_000_000;
  /** autovacuum_vacuum_threshold and autovacuum_vacuum_scale_factor defaults. */
  public static final int AUTOVACUUM_VACUUM_THRESHOLD = 50;
  public static final double AUTOVACUUM_VACUUM_SCALE_FACTOR = 0.2;

  /** What one VACUUM of one table did (VACUUM VERBOSE's numbers). */
  public record Report(String table, int horizon, int removed, int recentlyDead, int live, int frozen,
      int allVisiblePages, int pages) {
    @Override
    public String toString() {
      return String.format("vacuum %s: horizon xid %s, removed %d dead tuples, %d dead but not yet removable, "
          + "%d live, %d frozen, %d of %d pages all-visible", table, Xids.format(horizon), removed, recentlyDead,
          live, frozen, allVisiblePages, pages);
    }
  }

  /** Hears each block VACUUM rewrote, with the conflict horizon its WAL record carries (0: none). */
  @FunctionalInterface
  public interface PageLogger {
    void changed(int block, int conflictXid);
  }

  private Vacuum() {}

  /** Whether autovacuum would pick this table: n_dead_tup > threshold + scale_factor * reltuples. */
  public static boolean needsAutovacuum(Table t) {
    double relTuples = Math.max(0, t.relTuples);
    return t.deadTuples > AUTOVACUUM_VACUUM_THRESHOLD + AUTOVACUUM_VACUUM_SCALE_FACTOR * relTuples;
  }

  /**
   * Vacuums one table against {@code horizon} (the oldest xmin any snapshot may still need, computed by the
   * caller). First pass (lazy_scan_prune): prune each page, freeze old xmins, and note which pages are all
   * visible; then {@code vacuumIndexes} removes every index entry pointing at an LP_DEAD line pointer
   * (btbulkdelete); second pass (lazy_vacuum_heap_page): those line pointers become unused and the trailing
   * ones are cut off the array. {@code pageChanged} hears each block rewritten, for WAL logging.
   */
  public static Report run(Table table, boolean freeze, int horizon, Visibility vis, MultiXacts multis, PageLogger pageChanged,
      Consumer<Set<Tid>> vacuumIndexes) {
    int freezeLimit = freeze ? horizon : horizon - VACUUM_FREEZE_MIN_AGE;
    int removed = 0;
    int recentlyDead = 0;
    int live = 0;
    int frozen = 0;
    int allVisiblePages = 0;
    Set<Tid> deadItems = new TreeSet<>();
    Map<Integer, Integer> changedPages = new TreeMap<>(); // block -> the conflict horizon of its record
    for (HeapPage page : table.pages) {
      Prune.Result pr = Prune.prune(page, horizon, vis, multis);
      removed += pr.deleted();
      boolean allVisible = true;
      boolean allFrozen = true;
      int frozenHere = 0;
      int visibilityCutoff = 0; // the newest xmin on an all-visible page: XLOG_HEAP2_VISIBLE's cutoff_xid
      for (int off = 1; off <= page.items.size(); off++) {
        HeapPage.LinePointer lp = page.items.get(off - 1);
        if (lp.state == HeapPage.LpState.DEAD) deadItems.add(new Tid(page.blockNumber, off));
        HeapTuple t = page.tuple(off);
        if (t == null) continue;
        switch (vis.satisfiesVacuum(t, horizon)) {
          case RECENTLY_DEAD -> {
            recentlyDead++;
            allVisible = false;
            allFrozen = false;
          }
          case LIVE -> {
            live++;
            allVisible &= t.has(Infomask.HEAP_XMIN_COMMITTED) && Xids.precedes(t.xmin, horizon) && t.xmaxIsLockOnly();
            if (Xids.isNormal(t.xmin) && (visibilityCutoff == 0 || Xids.follows(t.xmin, visibilityCutoff))) visibilityCutoff = t.xmin;
            if (Xids.isNormal(t.xmin) && Xids.precedes(t.xmin, freezeLimit) && !t.has(Infomask.HEAP_XMIN_FROZEN)
                && t.has(Infomask.HEAP_XMIN_COMMITTED)) {
              t.set(Infomask.HEAP_XMIN_FROZEN);
              frozenHere++;
            }
            if (freezeXmax(t, freezeLimit)) frozenHere++;
            allFrozen &= t.has(Infomask.HEAP_XMIN_FROZEN) && t.has(Infomask.HEAP_XMAX_INVALID);
          }
          default -> {
            allVisible = false;
            allFrozen = false;
          }
        }
      }
      frozen += frozenHere;
      allFrozen &= allVisible;
      if (pr.changed() || frozenHere > 0 || page.allVisible != allVisible || page.allFrozen != allFrozen) {
        int conflict = pr.latestRemovedXid();
        if (frozenHere > 0) conflict = newer(conflict, freezeLimit - 1); // heap_xlog_freeze_page retreats the cutoff by one
        if (allVisible && !page.allVisible) conflict = newer(conflict, visibilityCutoff);
        changedPages.put(page.blockNumber, conflict);
      }
      page.allVisible = allVisible;
      page.allFrozen = allFrozen;
      if (allVisible) allVisiblePages++;
    }
    if (!deadItems.isEmpty()) vacuumIndexes.accept(deadItems);
    Set<Integer> vacuumedPages = new TreeSet<>();
    for (Tid tid : deadItems) {
      table.pages.get(tid.block()).release(tid.offset(), HeapPage.LpState.UNUSED, 0);
      vacuumedPages.add(tid.block());
    }
    for (int block : vacuumedPages) table.pages.get(block).truncateLinePointerArray();
    for (int block : vacuumedPages) changedPages.putIfAbsent(block, 0); // XLOG_HEAP2_VACUUM: the prune already conflicted
    changedPages.forEach(pageChanged::changed);
    table.vacuumed();
    table.deadTuples = recentlyDead;
    table.relTuples = live;
    table.relPages = table.pages.size(); // vac_update_relstats: relpages, reltuples, relallvisible
    table.relAllVisible = allVisiblePages;
    if (freeze || frozen > 0) table.relFrozenXid = freezeLimit;
    return new Report(table.name, horizon, removed, recentlyDead, live, frozen, allVisiblePages, table.pages.size());
  }

  private static int newer(int a, int b) {
    if (!Xids.isNormal(b)) return a;
    return a == 0 || Xids.follows(b, a) ? b : a;
  }

  /**
   * heap_prepare_freeze_tuple's xmax half: on a live tuple an xmax is only a locker or an aborted updater;
   * once older than the freeze limit nobody can need it, so it is removed (HEAP_XMAX_BITS cleared,
   * HEAP_XMAX_INVALID set, the update bits of infomask2 dropped). MultiXact xmaxes are left alone here.
   */
  private static boolean freezeXmax(HeapTuple t, int freezeLimit) {
    if (t.xmax == 0 || t.has(Infomask.HEAP_XMAX_IS_MULTI) || !Xids.isNormal(t.xmax)) return false;
    if (!Xids.precedes(t.xmax, freezeLimit)) return false;
    t.xmax = 0;
    t.clear(Infomask.XMAX_BITS);
    t.set(Infomask.HEAP_XMAX_INVALID);
    t.infomask2 &= ~(Infomask.HEAP_HOT_UPDATED | Infomask.HEAP_KEYS_UPDATED);
    return true;
  }
}
