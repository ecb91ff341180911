package sim.postgres.planner;

import java.util.List;

/**
 * costsize.c and btcostestimate/genericcostestimate (selfuncs.c) for single-table scans: cost_seqscan,
 * cost_index (Mackert–Lohman's index_pages_fetched interpolated by the index correlation squared; for an
 * Index Only Scan the heap pages scaled by 1 - allvisfrac), cost_bitmap_heap_scan over
 * cost_bitmap_tree_node. Every function is pure.
 */
public final class Costs {
  /** DEFAULT_PAGE_CPU_MULTIPLIER: the per-page CPU charge of a B-tree descent, in cpu_operator_costs. */
  static final double DEFAULT_PAGE_CPU_MULTIPLIER = 50.0;

  private Costs() {}

  /** A path's costs: startup and total, as add_path compares them. */
  public record Cost(double startup, double total) {}

  /** clamp_row_est: at least one row, a whole number. */
  public static double clampRowEst(double nrows) {
    if (nrows <= 1.0 || Double.isNaN(nrows)) return 1.0;
    return Math.rint(Math.min(nrows, 1e100));
  }

  /** cost_qual_eval of restriction clauses {@code col op const}: one operator call each. */
  static double qualCost(List<Qual> quals, PlannerSettings s) {
    return quals.stream().filter(q -> !q.isBoolTest()).count() * s.cpuOperatorCost();
  }

  static Cost seqScan(RelInfo rel, List<Qual> quals, PlannerSettings s) {
    double startup = s.enableSeqscan() ? 0 : PlannerSettings.DISABLE_COST;
    double cpuPerTuple = s.cpuTupleCost() + qualCost(quals, s);
    double run = cpuPerTuple * rel.tuples() + s.seqPageCost() * rel.pages();
    return new Cost(startup, startup + run);
  }

  /** amcostestimate's outputs. */
  record IndexCost(double startup, double total, double selectivity, double correlation) {}

  /** btcostestimate: genericcostestimate plus the descent costs and the leading column's correlation. */
  static IndexCost btree(RelInfo rel, RelInfo.IndexInfo ix, List<Qual> indexQuals, PlannerSettings s) {
    return btree(rel, ix, indexQuals, 1.0, s);
  }

  /**
   * btcostestimate for a scan repeated {@code loopCount} times (the inner side of a nested loop):
   * genericcostestimate's index_pages_fetched over the pages of all the scans (N = T = index pages, as if one
   * tuple per page), averaged per scan.
   */
  static IndexCost btree(RelInfo rel, RelInfo.IndexInfo ix, List<Qual> indexQuals, double loopCount, PlannerSettings s) {
    List<Qual> bound = boundQuals(ix, indexQuals);
    boolean allEq = ix.columns().stream()
        .allMatch(c -> bound.stream().anyMatch(q -> q.column().equals(c) && q.op().equals("=")));
    double numIndexTuples = ix.unique() && allEq ? 1.0 : Math.rint(Selectivity.clauselist(bound, rel.columns()) * rel.tuples());
    double selectivity = Selectivity.clauselist(indexQuals, rel.columns());
    if (numIndexTuples <= 0.0) numIndexTuples = selectivity * rel.tuples();
    if (numIndexTuples > ix.tuples()) numIndexTuples = ix.tuples();
    if (numIndexTuples < 1.0) numIndexTuples = 1.0;
    double numIndexPages = ix.pages() > 1 && ix.tuples() > 1 ? Math.ceil(numIndexTuples * ix.pages() / ix.tuples()) : 1.0;
    double total = numIndexPages * s.randomPageCost();
    if (loopCount > 1) {
      double pagesFetched = indexPagesFetched(numIndexPages * loopCount, ix.pages(), ix.pages(), rel.pages(), s);
      total = pagesFetched * s.randomPageCost() / loopCount;
    }
    double qualOpCost = s.cpuOperatorCost() * indexQuals.size();
    total += numIndexTuples * (s.cpuIndexTupleCost() + qualOpCost);
    double startup = 0;
    if (ix.tuples() > 1) {
      double descent = Math.ceil(Math.log(ix.tuples()) / Math.log(2.0)) * s.cpuOperatorCost();
      startup += descent;
      total += descent;
    }
    double descent = (ix.treeHeight() + 1) * DEFAULT_PAGE_CPU_MULTIPLIER * s.cpuOperatorCost();
    startup += descent;
    total += descent;
    double corr = 0.0;
    ColumnStats lead = rel.columns().var(ix.columns().get(0)).stats();
    if (lead != null && lead.correlation() != null) corr = lead.correlation();
    if (ix.columns().size() > 1) corr *= 0.75;
    return new IndexCost(startup, total, selectivity, corr);
  }

  /** btcostestimate's indexBoundQuals: the quals on leading columns, up to the first column without '='. */
  static List<Qual> boundQuals(RelInfo.IndexInfo ix, List<Qual> indexQuals) {
    List<Qual> out = new java.util.ArrayList<>();
    for (String col : ix.columns()) {
      List<Qual> here = indexQuals.stream().filter(q -> q.column().equals(col)).toList();
      if (here.isEmpty()) break;
      out.addAll(here);
      if (here.stream().noneMatch(q -> q.op().equals("="))) break;
    }
    return out;
  }

  /** index_pages_fetched: Mackert and Lohman's estimate of distinct heap pages read, with a cache of b pages. */
  static double indexPagesFetched(double tuplesFetched, double pages, double indexPages, double totalTablePages,
      PlannerSettings s) {
    double t = pages > 1 ? pages : 1.0;
    double totalPages = Math.max(totalTablePages + indexPages, 1.0);
    double b = s.effectiveCacheSizePages() * t / totalPages;
    b = b <= 1.0 ? 1.0 : Math.ceil(b);
    double fetched;
    if (t <= b) {
      fetched = (2.0 * t * tuplesFetched) / (2.0 * t + tuplesFetched);
      return fetched >= t ? t : Math.ceil(fetched);
    }
    double lim = (2.0 * t * b) / (2.0 * t - b);
    fetched = tuplesFetched <= lim ? (2.0 * t * tuplesFetched) / (2.0 * t + tuplesFetched)
        : b + (tuplesFetched - lim) * (t - b) / t;
    return Math.ceil(fetched);
  }

  /** An index path's costs and what a bitmap scan over it needs (cost_index's indextotalcost and selectivity). */
  record IndexPath(Cost cost, double indexTotalCost, double indexSelectivity) {}

  /** cost_index; with {@code loopCount} > 1 the heap I/O of all the repeated scans, averaged per scan. */
  static IndexPath index(RelInfo rel, RelInfo.IndexInfo ix, List<Qual> indexQuals, List<Qual> otherQuals,
      boolean indexOnly, double loopCount, PlannerSettings s) {
    double startup = s.enableIndexscan() ? 0 : PlannerSettings.DISABLE_COST;
    IndexCost ic = btree(rel, ix, indexQuals, loopCount, s);
    startup += ic.startup();
    double run = ic.total() - ic.startup();
    double tuplesFetched = clampRowEst(ic.selectivity() * rel.tuples());
    double maxIo;
    double minIo;
    if (loopCount > 1) {
      double pagesFetched = indexPagesFetched(tuplesFetched * loopCount, rel.pages(), ix.pages(), rel.pages(), s);
      if (indexOnly) pagesFetched = Math.ceil(pagesFetched * (1.0 - rel.allVisFrac()));
      maxIo = pagesFetched * s.randomPageCost() / loopCount;
      pagesFetched = Math.ceil(ic.selectivity() * rel.pages());
      if (indexOnly) pagesFetched = Math.ceil(pagesFetched * (1.0 - rel.allVisFrac()));
      pagesFetched = indexPagesFetched(pagesFetched * loopCount, rel.pages(), ix.pages(), rel.pages(), s);
      minIo = pagesFetched * s.randomPageCost() / loopCount;
    } else {
      double pagesFetched = indexPagesFetched(tuplesFetched, rel.pages(), ix.pages(), rel.pages(), s);
      if (indexOnly) pagesFetched = Math.ceil(pagesFetched * (1.0 - rel.allVisFrac()));
      maxIo = pagesFetched * s.randomPageCost();
      pagesFetched = Math.ceil(ic.selectivity() * rel.pages());
      if (indexOnly) pagesFetched = Math.ceil(pagesFetched * (1.0 - rel.allVisFrac()));
      minIo = 0;
      if (pagesFetched > 0) {
        minIo = s.randomPageCost();
        if (pagesFetched > 1) minIo += (pagesFetched - 1) * s.seqPageCost();
      }
    }
    double csquared = ic.correlation() * ic.correlation();
    run += maxIo + csquared * (minIo - maxIo);
    double cpuPerTuple = s.cpuTupleCost() + qualCost(otherQuals, s);
    run += cpuPerTuple * tuplesFetched;
    return new IndexPath(new Cost(startup, startup + run), ic.total(), ic.selectivity());
  }

  /** cost_bitmap_heap_scan over a bitmap tree of that cost and selectivity (compute_bitmap_pages). */
  static Cost bitmapHeap(RelInfo rel, double indexTotal, double indexSelectivity, List<Qual> allQuals, PlannerSettings s) {
    return bitmapHeap(rel, indexTotal, indexSelectivity, allQuals, 1.0, 0, s);
  }

  /**
   * cost_bitmap_heap_scan repeated {@code loopCount} times over indexes of {@code indexPages} pages in all
   * (compute_bitmap_pages: the pages of all the scans by Mackert and Lohman, averaged per scan).
   */
  static Cost bitmapHeap(RelInfo rel, double indexTotal, double indexSelectivity, List<Qual> allQuals, double loopCount,
      double indexPages, PlannerSettings s) {
    double startup = s.enableBitmapscan() ? 0 : PlannerSettings.DISABLE_COST;
    double tuplesFetched = clampRowEst(indexSelectivity * rel.tuples());
    double t = rel.pages() > 1 ? rel.pages() : 1.0;
    double pagesFetched = (2.0 * t * tuplesFetched) / (2.0 * t + tuplesFetched);
    if (loopCount > 1) {
      pagesFetched = indexPagesFetched(tuplesFetched * loopCount, rel.pages(), indexPages, rel.pages(), s) / loopCount;
    }
    pagesFetched = pagesFetched >= t ? t : Math.ceil(pagesFetched);
    startup += indexTotal;
    double costPerPage = pagesFetched >= 2.0
        ? s.randomPageCost() - (s.randomPageCost() - s.seqPageCost()) * Math.sqrt(pagesFetched / t)
        : s.randomPageCost();
    double run = pagesFetched * costPerPage;
    double cpuPerTuple = s.cpuTupleCost() + qualCost(allQuals, s);
    run += cpuPerTuple * tuplesFetched;
    return new Cost(startup, startup + run);
  }

  /** cost_bitmap_tree_node of an IndexPath: its total cost plus 0.1 cpu_operator_cost per row for the bitmap. */
  static double bitmapIndexCost(IndexPath ipath, double rows, PlannerSettings s) {
    return ipath.indexTotalCost() + 0.1 * s.cpuOperatorCost() * rows;
  }

  /** BLCKSZ, and the sort memory work_mem (4MB) in bytes. */
  static final double BLCKSZ = 8192;
  static final long WORK_MEM_BYTES = 4096L * 1024;

  /** relation_byte_size: each tuple MAXALIGNed plus a MAXALIGNed heap tuple header (23 -> 24 bytes). */
  static double relationByteSize(double tuples, int width) {
    return tuples * (((width + 7) & ~7) + 24);
  }

  /** costsize.c's LOG2 macro, with its literal ln 2. */
  static double log2(double x) {
    return Math.log(x) / 0.693147180559945;
  }

  /**
   * cost_sort over cost_tuplesort: N log2 N comparisons at 2 cpu_operator_cost (quicksort in work_mem), N log2 2K
   * for a bounded heap sort under a LIMIT of K, or an external merge sort's page accesses when the output does
   * not fit; plus one cpu_operator_cost per tuple extracted. {@code limitTuples} is -1 without a LIMIT.
   */
  static Cost sort(Cost input, double tuples, int width, double limitTuples, PlannerSettings s) {
    double inputBytes = relationByteSize(tuples, width);
    if (tuples < 2.0) tuples = 2.0;
    double comparisonCost = 2.0 * s.cpuOperatorCost();
    double outputTuples = tuples;
    double outputBytes = inputBytes;
    if (limitTuples > 0 && limitTuples < tuples) {
      outputTuples = limitTuples;
      outputBytes = relationByteSize(outputTuples, width);
    }
    double startup;
    if (outputBytes > WORK_MEM_BYTES) {
      double npages = Math.ceil(inputBytes / BLCKSZ);
      double nruns = inputBytes / WORK_MEM_BYTES;
      double mergeOrder = Math.min(Math.max(WORK_MEM_BYTES / (2 * 8192L + 32 * 8192L), 6), 500); // tuplesort_merge_order
      startup = comparisonCost * tuples * log2(tuples);
      double logRuns = nruns > mergeOrder ? Math.ceil(Math.log(nruns) / Math.log(mergeOrder)) : 1.0;
      startup += 2.0 * npages * logRuns * (s.seqPageCost() * 0.75 + s.randomPageCost() * 0.25);
    } else if (tuples > 2 * outputTuples || inputBytes > WORK_MEM_BYTES) {
      startup = comparisonCost * tuples * log2(2.0 * outputTuples);
    } else {
      startup = comparisonCost * tuples * log2(tuples);
    }
    double run = s.cpuOperatorCost() * tuples;
    startup += input.total();
    return new Cost(startup, startup + run);
  }

  /** cost_limit's adjust_limit_rows_costs: the run cost prorated to the rows the Limit takes (count >= 1). */
  static Plan.Upper limit(Cost input, double inputRows, long count) {
    double countRows = Math.max(count, 1);
    if (countRows > inputRows) countRows = inputRows;
    double total = input.total();
    if (inputRows > 0) total = input.startup() + (input.total() - input.startup()) * countRows / inputRows;
    return new Plan.Upper(input.startup(), total, Math.max(countRows, 1));
  }
}
