package sim.postgres.vacuum;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Visibility;
import sim.postgres.mvcc.Visibility.VacuumStatus;
import sim.postgres.mvcc.Xids;

/**
 * heap_page_prune (pruneheap.c): per HOT chain, the members dead to every snapshot go. Dead heap-only
 * members leave unused line pointers; the root is redirected to the first surviving member, or, when the
 * whole chain is dead, left as an LP_DEAD stub (index entries still point at it: only VACUUM, after the
 * index entries are gone, may reuse it). The survivors' storage is then packed together
 * (PageRepairFragmentation), pd_prune_xid is set to the oldest xmax that could make something prunable
 * later, and PD_PAGE_FULL is cleared. Used on read (heap_page_prune_opt) and by VACUUM's first pass.
 */
public final class Prune {
  /**
   * What one prune did: tuples removed, whether the page changed, and the record's latestRemovedXid (the
   * newest deleter among the removed versions: a standby snapshot not after it may still need them; 0: none).
   */
  public record Result(int deleted, boolean changed, int latestRemovedXid) {}

  private final HeapPage page;
  private final MultiXacts multis;
  private final VacuumStatus[] htsv;
  private final boolean[] marked;
  private final List<Integer> unused = new ArrayList<>();
  private final List<Integer> dead = new ArrayList<>();
  private final List<int[]> redirected = new ArrayList<>();
  private final Visibility vis;
  private int newPruneXid;
  private int latestRemovedXid;

  private Prune(HeapPage page, int horizon, Visibility vis, MultiXacts multis) {
    this.page = page;
    this.multis = multis;
    this.vis = vis;
    int n = page.items.size();
    htsv = new VacuumStatus[n + 1];
    marked = new boolean[n + 1];
    for (int off = 1; off <= n; off++) {
      HeapTuple t = page.tuple(off);
      if (t != null) htsv[off] = vis.satisfiesVacuum(t, horizon);
    }
  }

  public static Result prune(HeapPage page, int horizon, Visibility vis, MultiXacts multis) {
    return new Prune(page, horizon, vis, multis).run();
  }

  private Result run() {
    int deleted = 0;
    for (int off = 1; off <= page.items.size(); off++) {
      if (marked[off]) continue;
      HeapPage.LpState st = page.items.get(off - 1).state;
      if (st == HeapPage.LpState.UNUSED || st == HeapPage.LpState.DEAD) continue;
      deleted += chain(off);
    }
    boolean changed = !unused.isEmpty() || !dead.isEmpty() || !redirected.isEmpty();
    for (int[] r : redirected) page.release(r[0], HeapPage.LpState.REDIRECT, r[1]);
    for (int off : dead) page.release(off, HeapPage.LpState.DEAD, 0);
    for (int off : unused) page.release(off, HeapPage.LpState.UNUSED, 0);
    if (changed) page.repairFragmentation();
    if (changed || page.pruneXid != newPruneXid || page.full) {
      page.pruneXid = newPruneXid;
      page.full = false;
    }
    return new Result(deleted, changed, latestRemovedXid);
  }

  private void prunable(int xid) {
    if (newPruneXid == 0 || Xids.precedes(xid, newPruneXid)) newPruneXid = xid;
  }

  /** heap_prune_chain: the chain rooted at {@code root}; returns how many tuples it deletes. */
  private int chain(int root) {
    int deleted = 0;
    HeapPage.LinePointer rootlp = page.items.get(root - 1);
    if (rootlp.state == HeapPage.LpState.NORMAL && rootlp.tuple.has2(Infomask.HEAP_ONLY_TUPLE)) {
      // a heap-only tuple is pruned with its chain; alone and dead, it can go at once
      if (htsv[root] == VacuumStatus.DEAD && !rootlp.tuple.has2(Infomask.HEAP_HOT_UPDATED)) {
        latestRemovedXid = vis.advanceLatestRemovedXid(rootlp.tuple, latestRemovedXid);
        record(unused, root);
        deleted++;
      }
      return deleted;
    }
    List<Integer> chain = new ArrayList<>();
    int latestdead = 0;
    int off = root;
    int priorXmax = 0;
    while (off >= 1 && off <= page.items.size() && !marked[off]) {
      HeapPage.LinePointer lp = page.items.get(off - 1);
      if (lp.state == HeapPage.LpState.UNUSED || lp.state == HeapPage.LpState.DEAD) break;
      if (lp.state == HeapPage.LpState.REDIRECT) {
        if (!chain.isEmpty()) break;
        chain.add(off);
        off = lp.redirectTo;
        continue;
      }
      HeapTuple t = lp.tuple;
      if (priorXmax != 0 && t.xmin != priorXmax) break;
      chain.add(off);
      boolean tupdead = false;
      boolean recentDead = false;
      switch (htsv[off]) {
        case DEAD -> tupdead = true;
        case RECENTLY_DEAD -> {
          recentDead = true;
          prunable(multis.updateXid(t));
        }
        case DELETE_IN_PROGRESS -> prunable(multis.updateXid(t));
        default -> { }
      }
      if (tupdead) {
        latestdead = off;
        latestRemovedXid = vis.advanceLatestRemovedXid(t, latestRemovedXid);
      } else if (!recentDead) break;
      if (!t.has2(Infomask.HEAP_HOT_UPDATED)) break;
      off = t.ctid.offset();
      priorXmax = multis.updateXid(t);
    }
    if (latestdead != 0) {
      int i = 1;
      for (; i < chain.size() && chain.get(i - 1) != latestdead; i++) {
        record(unused, chain.get(i));
        deleted++;
      }
      if (rootlp.state == HeapPage.LpState.NORMAL) deleted++;
      if (i >= chain.size()) {
        record(dead, root);
      } else {
        marked[root] = true;
        redirected.add(new int[] {root, chain.get(i)});
      }
    } else if (chain.size() < 2 && rootlp.state == HeapPage.LpState.REDIRECT) {
      record(dead, root);
    }
    return deleted;
  }

  private void record(List<Integer> into, int off) {
    marked[off] = true;
    into.add(off);
  }
}
