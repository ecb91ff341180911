package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.nbtree.PgQsort;

/**
 * indxpath.c's choose_bitmap_and: among the index paths usable for a bitmap scan, drop those with the same
 * clauses as a cheaper one, sort by bitmap cost (then selectivity) with PostgreSQL's own qsort, and let each
 * be the leader of an AND group that takes on each later path not sharing a clause with the group if that
 * lowers the whole bitmap heap scan's cost (cost_bitmap_and_node: the inputs' costs plus 100
 * cpu_operator_cost per intersection, selectivities multiplied). The cheapest group wins.
 */
final class BitmapChoice {
  private BitmapChoice() {}

  /** One bitmap-capable index path: its index, clauses, and cost_index's indextotalcost and selectivity. */
  record Leaf(RelInfo.IndexInfo index, List<Qual> quals, Costs.IndexPath path) {}

  /** The bitmap tree as cost_bitmap_tree_node sees it: a leaf or a BitmapAnd of leaves. */
  record Tree(List<Leaf> leaves, double cost, double selectivity) {}

  static Tree tree(List<Leaf> leaves, double rows, PlannerSettings s) {
    if (leaves.size() == 1) {
      Leaf l = leaves.get(0);
      return new Tree(leaves, Costs.bitmapIndexCost(l.path(), rows, s), l.path().indexSelectivity());
    }
    double cost = 0;
    double selec = 1.0;
    for (int i = 0; i < leaves.size(); i++) {
      Leaf l = leaves.get(i);
      selec *= l.path().indexSelectivity();
      cost += Costs.bitmapIndexCost(l.path(), rows, s);
      if (i > 0) cost += 100.0 * s.cpuOperatorCost();
    }
    return new Tree(List.copyOf(leaves), cost, selec);
  }

  static Tree choose(List<Leaf> candidates, RelInfo rel, List<Qual> quals, double rows, PlannerSettings s) {
    List<Leaf> kept = new ArrayList<>();
    for (Leaf l : candidates) {
      int same = -1;
      for (int i = 0; i < kept.size() && same < 0; i++) {
        if (sameClauses(kept.get(i).quals(), l.quals())) same = i;
      }
      if (same < 0) kept.add(l);
      else if (tree(List.of(l), rows, s).cost() < tree(List.of(kept.get(same)), rows, s).cost()) kept.set(same, l);
    }
    if (kept.size() == 1) return tree(kept, rows, s);
    Leaf[] arr = kept.toArray(new Leaf[0]);
    PgQsort.sort(arr, arr.length, (a, b) -> {
      Tree ta = tree(List.of(a), rows, s);
      Tree tb = tree(List.of(b), rows, s);
      if (ta.cost() != tb.cost()) return ta.cost() < tb.cost() ? -1 : 1;
      if (ta.selectivity() != tb.selectivity()) return ta.selectivity() < tb.selectivity() ? -1 : 1;
      return 0;
    });
    Tree best = null;
    double bestCost = 0;
    for (int i = 0; i < arr.length; i++) {
      List<Leaf> group = new ArrayList<>(List.of(arr[i]));
      double costSoFar = heapCost(tree(group, rows, s), rel, quals, rows, s);
      List<Qual> clausesSoFar = new ArrayList<>(arr[i].quals());
      for (int j = i + 1; j < arr.length; j++) {
        if (arr[j].quals().stream().anyMatch(clausesSoFar::contains)) continue; // redundant
        group.add(arr[j]);
        double newCost = heapCost(tree(group, rows, s), rel, quals, rows, s);
        if (newCost < costSoFar) {
          costSoFar = newCost;
          clausesSoFar.addAll(arr[j].quals());
        } else {
          group.remove(group.size() - 1);
        }
      }
      if (i == 0 || costSoFar < bestCost) {
        best = tree(group, rows, s);
        bestCost = costSoFar;
      }
    }
    return best;
  }

  private static boolean sameClauses(List<Qual> a, List<Qual> b) {
    return a.containsAll(b) && b.containsAll(a);
  }

  /** bitmap_scan_cost_est: the total cost of a Bitmap Heap Scan over this tree. */
  static double heapCost(Tree t, RelInfo rel, List<Qual> quals, double rows, PlannerSettings s) {
    return Costs.bitmapHeap(rel, t.cost(), t.selectivity(), quals, s).total();
  }
}
