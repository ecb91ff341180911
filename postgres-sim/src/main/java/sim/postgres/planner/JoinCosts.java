package sim.postgres.planner;

/**
 * costsize.c for joins, each function the initial_cost_X and final_cost_X pair of PostgreSQL 15 for an
 * inner join whose inner side is not known unique: nested loop (with cost_rescan of its inner path),
 * hash join (ExecChooseHashTableSize's bucket count, work_mem 4MB × hash_mem_multiplier 2), merge join
 * (mergejoinscansel's fractions, explicit sorts, the inner Materialize decision), and Materialize.
 * The additions follow C's order so the doubles come out bit for bit.
 */
public final class JoinCosts {
  /** work_mem 4MB × hash_mem_multiplier 2.0: get_hash_memory_limit. */
  static final double HASH_MEM_BYTES = 4096.0 * 1024 * 2.0;

  private JoinCosts() {}

  /** A path as a join sees it: its costs, rows and width. */
  record Input(Costs.Cost cost, double rows, int width) {}

  /** cost_material: 2 cpu_operator_cost per tuple of bookkeeping, plus its pages if it spills past work_mem. */
  static Costs.Cost material(Input in, PlannerSettings s) {
    double startup = in.cost().startup();
    double run = in.cost().total() - in.cost().startup();
    run += 2 * s.cpuOperatorCost() * in.rows();
    double nbytes = Costs.relationByteSize(in.rows(), in.width());
    if (nbytes > Costs.WORK_MEM_BYTES) run += s.seqPageCost() * Math.ceil(nbytes / Costs.BLCKSZ);
    return new Costs.Cost(startup, startup + run);
  }

  /** cost_rescan: a Materialize replays its tuplestore at cpu_operator_cost a tuple; anything else runs again. */
  static Costs.Cost rescan(Input in, boolean materializes, PlannerSettings s) {
    if (!materializes) return in.cost();
    double run = s.cpuOperatorCost() * in.rows();
    double nbytes = Costs.relationByteSize(in.rows(), in.width());
    if (nbytes > Costs.WORK_MEM_BYTES) run += s.seqPageCost() * Math.ceil(nbytes / Costs.BLCKSZ);
    return new Costs.Cost(0, run);
  }

  /**
   * cost_memoize_rescan: a rescan of a Memoize over {@code sub} (its rows per call) for {@code calls} outer
   * rows with {@code ndistinct} distinct keys of {@code keyWidth} bytes: the cache hit ratio by how many
   * entries fit in hash_mem (each entry the tuples, ExecEstimateCacheEntryOverheadBytes' 24 + 24 + 16 a tuple,
   * and the key), eviction and insertion charges.
   */
  static Costs.Cost memoizeRescan(Input sub, double calls, double ndistinct, int keyWidth, PlannerSettings s) {
    double tuples = sub.rows();
    double estEntryBytes = Costs.relationByteSize(tuples, sub.width()) + (24 + 24 + 16 * tuples);
    estEntryBytes += keyWidth;
    double estCacheEntries = Math.floor(HASH_MEM_BYTES / estEntryBytes);
    double evictRatio = 1.0 - Math.min(estCacheEntries, ndistinct) / ndistinct;
    double hitRatio = ((calls - ndistinct) / calls) * (estCacheEntries / Math.max(ndistinct, estCacheEntries));
    double total = sub.cost().total() * (1.0 - hitRatio) + s.cpuOperatorCost();
    total += s.cpuTupleCost() * evictRatio;
    total += s.cpuOperatorCost() / 10.0 * evictRatio * tuples;
    total += s.cpuTupleCost() + s.cpuOperatorCost() * tuples;
    double startup = sub.cost().startup() * (1.0 - hitRatio);
    startup += s.cpuTupleCost();
    return new Costs.Cost(startup, total);
  }

  /** initial_cost_nestloop + final_cost_nestloop with an inner path of the given rescan cost. */
  static Costs.Cost nestloop(Input outer, Input inner, Costs.Cost rescan, int joinQuals, PlannerSettings s) {
    double outerRows = outer.rows();
    double startup = 0;
    double run = 0;
    startup += outer.cost().startup() + inner.cost().startup();
    run += outer.cost().total() - outer.cost().startup();
    if (outerRows > 1) run += (outerRows - 1) * rescan.startup();
    double innerRun = inner.cost().total() - inner.cost().startup();
    double innerRescanRun = rescan.total() - rescan.startup();
    run += innerRun;
    if (outerRows > 1) run += (outerRows - 1) * innerRescanRun;
    if (!s.enableNestloop()) startup += PlannerSettings.DISABLE_COST;
    double ntuples = Math.max(outerRows, 1) * Math.max(inner.rows(), 1);
    double cpuPerTuple = s.cpuTupleCost() + joinQuals * s.cpuOperatorCost();
    run += cpuPerTuple * ntuples;
    return new Costs.Cost(startup, startup + run);
  }

  /** initial_cost_nestloop + final_cost_nestloop; {@code joinQuals} are the clauses left as a Join Filter. */
  static Costs.Cost nestloop(Input outer, Input inner, boolean innerMaterializes, int joinQuals, PlannerSettings s) {
    return nestloop(outer, inner, rescan(inner, innerMaterializes, s), joinQuals, s);
  }

  /** ExecChooseHashTableSize's bucket count for one batch; -1 when the inner side would need several batches. */
  static int hashBuckets(double ntuples, int width) {
    if (ntuples <= 0.0) ntuples = 1000.0;
    long tupsize = 16 + 16 + ((width + 7) & ~7); // HJTUPLE_OVERHEAD + MAXALIGN(SizeofMinimalTupleHeader) + data
    double innerRelBytes = ntuples * tupsize;
    long hashTableBytes = (long) HASH_MEM_BYTES;
    long bytesPerMcv = tupsize + 8 * 8 + 4 + 16; // the skew hash's pointers, its int and SKEW_BUCKET_OVERHEAD
    long skewMcvs = hashTableBytes / bytesPerMcv * 2 / 100; // SKEW_HASH_MEM_PERCENT
    hashTableBytes -= skewMcvs * bytesPerMcv;
    long maxPointers = Long.highestOneBit(Math.min(hashTableBytes / 8, (0x3fffffffL) / 8));
    maxPointers = Math.min(maxPointers, Integer.MAX_VALUE / 2 + 1);
    double dbuckets = Math.min(Math.ceil(ntuples), maxPointers);
    int nbuckets = Math.max((int) dbuckets, 1024);
    nbuckets = Integer.highestOneBit(nbuckets - 1) << 1; // pg_nextpower2_32
    if (innerRelBytes + 8.0 * nbuckets > hashTableBytes) return -1;
    return nbuckets;
  }

  /**
   * initial_cost_hashjoin + final_cost_hashjoin for {@code hashClauses} clauses: the inner side hashed at
   * startup, each outer tuple probing a bucket of {@code bucketSizeFrac} of the inner rows at half a
   * qual evaluation per tuple there, cpu_tuple_cost per tuple passing the hash clauses.
   */
  static Costs.Cost hashjoin(Input outer, Input inner, int hashClauses, double bucketSizeFrac, double mcvFreq,
      double hashJoinTuples, PlannerSettings s) {
    double startup = 0;
    double run = 0;
    startup += outer.cost().startup();
    run += outer.cost().total() - outer.cost().startup();
    startup += inner.cost().total();
    startup += (s.cpuOperatorCost() * hashClauses + s.cpuTupleCost()) * inner.rows();
    run += s.cpuOperatorCost() * hashClauses * outer.rows();
    if (!s.enableHashjoin()) startup += PlannerSettings.DISABLE_COST;
    if (Costs.relationByteSize(Costs.clampRowEst(inner.rows() * mcvFreq), inner.width()) > HASH_MEM_BYTES) {
      startup += PlannerSettings.DISABLE_COST;
    }
    double hashQualPerTuple = s.cpuOperatorCost() * hashClauses;
    run += hashQualPerTuple * outer.rows() * Costs.clampRowEst(inner.rows() * bucketSizeFrac) * 0.5;
    run += s.cpuTupleCost() * hashJoinTuples;
    return new Costs.Cost(startup, startup + run);
  }

  /** A merge join's cost and whether a Materialize goes over its inner input. */
  record Merge(Costs.Cost cost, boolean materializeInner) {}

  /**
   * initial_cost_mergejoin + final_cost_mergejoin with one merge clause. {@code outerSort}/{@code innerSort}:
   * an explicit Sort is needed; {@code sel} the scan fractions with the outer side first; the inner input
   * supports mark/restore (an index scan or a Sort).
   */
  static Merge mergejoin(Input outer, Input inner, boolean outerSort, boolean innerSort, double outerStartSel,
      double outerEndSel, double innerStartSel, double innerEndSel, double mergeJoinTuples, PlannerSettings s) {
    double outerPathRows = outer.rows() <= 0 ? 1 : outer.rows();
    double innerPathRows = inner.rows() <= 0 ? 1 : inner.rows();
    double outerSkipRows = Math.rint(outerPathRows * outerStartSel);
    double innerSkipRows = Math.rint(innerPathRows * innerStartSel);
    double outerRows = Costs.clampRowEst(outerPathRows * outerEndSel);
    double innerRows = Costs.clampRowEst(innerPathRows * innerEndSel);
    outerStartSel = outerSkipRows / outerPathRows;
    innerStartSel = innerSkipRows / innerPathRows;
    outerEndSel = outerRows / outerPathRows;
    innerEndSel = innerRows / innerPathRows;
    double startup = 0;
    double run = 0;
    Costs.Cost o = outerSort ? Costs.sort(outer.cost(), outerPathRows, outer.width(), -1.0, s) : outer.cost();
    startup += o.startup();
    startup += (o.total() - o.startup()) * outerStartSel;
    run += (o.total() - o.startup()) * (outerEndSel - outerStartSel);
    Costs.Cost i = innerSort ? Costs.sort(inner.cost(), innerPathRows, inner.width(), -1.0, s) : inner.cost();
    startup += i.startup();
    startup += (i.total() - i.startup()) * innerStartSel;
    double innerRunCost = (i.total() - i.startup()) * (innerEndSel - innerStartSel);
    // final_cost_mergejoin
    double rescannedTuples = Math.max(mergeJoinTuples - innerPathRows, 0);
    double rescanRatio = 1.0 + (rescannedTuples / innerRows);
    double bareInnerCost = innerRunCost * rescanRatio;
    double matInnerCost = innerRunCost + s.cpuOperatorCost() * innerRows * rescanRatio;
    boolean materialize = s.enableMaterial() && (matInnerCost < bareInnerCost
        || innerSort && Costs.relationByteSize(innerPathRows, inner.width()) > Costs.WORK_MEM_BYTES);
    run += materialize ? matInnerCost : bareInnerCost;
    double mergeQualPerTuple = s.cpuOperatorCost();
    startup += mergeQualPerTuple * (outerSkipRows + innerSkipRows * rescanRatio);
    run += mergeQualPerTuple * ((outerRows - outerSkipRows) + (innerRows - innerSkipRows) * rescanRatio);
    run += s.cpuTupleCost() * mergeJoinTuples;
    return new Merge(new Costs.Cost(startup, startup + run), materialize);
  }
}
