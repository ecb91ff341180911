package sim.postgres.vacuum;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import sim.postgres.heap.Tid;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Visibility;
import sim.postgres.mvcc.Visibility.VacuumStatus;
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

  private Vacuum() {}

  /** Whether autovacuum would pick this table: n_dead_tup > threshold + scale_factor * reltuples. */
  public static boolean needsAutovacuum(Table t) {
    double relTuples = Math.max(0, t.relTuples);
    return t.deadTuples > AUTOVACUUM_VACUUM_THRESHOLD + AUTOVACUUM_VACUUM_SCALE_FACTOR * relTuples;
  }

  /**
   * Vacuums one table against {@code horizon} (the oldest xmin any snapshot may still need, computed by the
   * caller); {@code pageChanged} hears each block it rewrote, for WAL logging.
   */
  public static Report run(Table table, boolean freeze, int horizon, Visibility vis, MultiXacts multis, IntConsumer pageChanged,
      Consumer<Tid> indexedTidFreed) {
    int freezeLimit = freeze ? horizon : horizon - VACUUM_FREEZE_MIN_AGE;
    int removed = 0;
    int recentlyDead = 0;
    int live = 0;
    int frozen = 0;
    int allVisiblePages = 0;
    for (HeapPage page : table.pages) {
      List<Integer> dead = new ArrayList<>();
      boolean allVisible = true;
      int frozenHere = 0;
      for (int off = 1; off <= page.items.size(); off++) {
        HeapTuple t = page.tuple(off);
        if (t == null) continue;
        VacuumStatus st = vis.satisfiesVacuum(t, horizon);
        switch (st) {
          case DEAD -> dead.add(off);
          case RECENTLY_DEAD -> {
            recentlyDead++;
            allVisible = false;
          }
          case LIVE -> {
            live++;
            allVisible &= t.has(Infomask.HEAP_XMIN_COMMITTED) && Xids.precedes(t.xmin, horizon) && t.xmaxIsLockOnly();
            if (Xids.isNormal(t.xmin) && Xids.precedes(t.xmin, freezeLimit) && !t.has(Infomask.HEAP_XMIN_FROZEN)
                && t.has(Infomask.HEAP_XMIN_COMMITTED)) {
              t.set(Infomask.HEAP_XMIN_FROZEN);
              frozenHere++;
            }
          }
          default -> allVisible = false;
        }
      }
      removed += dead.size();
      frozen += frozenHere;
      boolean changed = !dead.isEmpty() || frozenHere > 0 || page.allVisible != allVisible;
      prune(page, dead, multis, indexedTidFreed);
      page.allVisible = allVisible;
      if (allVisible) allVisiblePages++;
      if (changed) pageChanged.accept(page.blockNumber);
    }
    table.deadTuples = recentlyDead;
    table.relTuples = live;
    if (freeze || frozen > 0) table.relFrozenXid = freezeLimit;
    return new Report(table.name, horizon, removed, recentlyDead, live, frozen, allVisiblePages, table.pages.size());
  }

  /**
   * heap_page_prune: frees dead tuples; a dead chain root whose chain still has a survivor becomes a
   * redirect to it, and an existing redirect whose target died moves along the chain (or goes).
   */
  private static void prune(HeapPage page, List<Integer> dead, MultiXacts multis, Consumer<Tid> indexedTidFreed) {
    int[] redirectTo = new int[page.items.size() + 1];
    for (int off = 1; off <= page.items.size(); off++) {
      HeapPage.LinePointer lp = page.items.get(off - 1);
      if (lp.state == HeapPage.LpState.REDIRECT && dead.contains(lp.redirectTo)) {
        redirectTo[off] = firstSurvivor(page, page.tuple(lp.redirectTo), dead, multis);
      } else if (lp.state == HeapPage.LpState.NORMAL && dead.contains(off) && !lp.tuple.has2(Infomask.HEAP_ONLY_TUPLE)) {
        redirectTo[off] = firstSurvivor(page, lp.tuple, dead, multis);
      } else if (lp.state == HeapPage.LpState.REDIRECT) {
        redirectTo[off] = lp.redirectTo;
      }
    }
    for (int off = 1; off <= page.items.size(); off++) {
      HeapPage.LinePointer lp = page.items.get(off - 1);
      boolean deadTuple = lp.state == HeapPage.LpState.NORMAL && dead.contains(off);
      if (lp.state == HeapPage.LpState.REDIRECT || deadTuple) {
        // a chain root (not a heap-only tuple) has index entries: they go before its line pointer is reused
        boolean indexed = lp.state == HeapPage.LpState.REDIRECT || !lp.tuple.has2(Infomask.HEAP_ONLY_TUPLE);
        if (redirectTo[off] == 0 && indexed) indexedTidFreed.accept(new Tid(page.blockNumber, off));
        page.release(off, redirectTo[off] > 0 ? HeapPage.LpState.REDIRECT : HeapPage.LpState.UNUSED, redirectTo[off]);
      }
    }
  }

  private static int firstSurvivor(HeapPage page, HeapTuple t, List<Integer> dead, MultiXacts multis) {
    HeapTuple cur = t;
    while (cur.has2(Infomask.HEAP_HOT_UPDATED) && cur.ctid.block() == page.blockNumber) {
      int next = cur.ctid.offset();
      HeapTuple n = page.tuple(next);
      if (n == null || n.xmin != multis.updateXid(cur)) return 0;
      if (!dead.contains(next)) return next;
      cur = n;
    }
    return 0;
  }
}
