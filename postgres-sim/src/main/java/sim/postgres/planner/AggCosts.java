package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * costsize.c's cost_agg and cost_group with planner.c's get_agg_clause_costs: each transition state costs its
 * transition function (procost 1) per input row, each aggregate with a final function that once per group;
 * AGG_PLAIN reads everything before its one row, AGG_SORTED emits groups as its sorted input goes by and
 * compares the grouping columns per row, AGG_HASHED hashes them per row before its first output. HAVING costs
 * its operators per group and keeps 1/3 of them per inequality (DEFAULT_INEQ_SEL: an Aggref has no statistics).
 */
final class AggCosts {
  /** work_mem 4MB × hash_mem_multiplier 2.0: get_hash_memory_limit. */
  static final double HASH_MEM_BYTES = 4096.0 * 1024 * 2.0;

  private AggCosts() {}

  enum Strategy {
    PLAIN("Aggregate"), SORTED("GroupAggregate"), HASHED("HashAggregate"), GROUP("Group");

    final String label;

    Strategy(String label) {
      this.label = label;
    }
  }

  /** AggClauseCosts: transCost per tuple, finalCost per group, the transition states and their space. */
  record ClauseCosts(int numTrans, double transPerTuple, double finalPerGroup, int transitionSpace) {}

  /**
   * get_agg_clause_costs over the aggregates (already deduplicated, as find_compatible_agg does): transition
   * states shared by calls with the same transition function and argument (sum and avg of a bigint both use
   * int8_avg_accum), a by-reference state adding its aggtransspace or typavgwidth, MAXALIGNed.
   */
  static ClauseCosts clauseCosts(List<AggQuery.Agg> aggs, PlannerSettings s) {
    List<String> trans = new ArrayList<>();
    double transCost = 0;
    double finalCost = 0;
    int space = 0;
    for (AggQuery.Agg a : aggs) {
      if (hasFinalFunction(a)) finalCost += s.cpuOperatorCost();
      String key = transFunction(a) + "(" + a.column() + ")";
      if (trans.contains(key)) continue;
      trans.add(key);
      transCost += s.cpuOperatorCost();
      int width = transSpace(a);
      space += (width + 7) & ~7;
    }
    return new ClauseCosts(trans.size(), transCost, finalCost, space);
  }

  /** pg_aggregate's aggtransfn for the calls modelled. */
  static String transFunction(AggQuery.Agg a) {
    String t = a.argType();
    return switch (a.function()) {
      case "count" -> a.column() == null ? "int8inc" : "int8inc_any";
      case "sum" -> t.equals("int4") ? "int4_sum" : "int8_avg_accum";
      case "avg" -> t.equals("int4") ? "int4_avg_accum" : "int8_avg_accum";
      case "min" -> t + "smaller";
      default -> t + "larger";
    };
  }

  /** avg's int8_avg / numeric_poly_avg and sum(bigint)'s numeric_poly_sum; count, sum(int4), min and max have none. */
  static boolean hasFinalFunction(AggQuery.Agg a) {
    return a.function().equals("avg") || a.function().equals("sum") && !a.argType().equals("int4");
  }

  /** A by-value state (int8, int4) needs no space; avg(int4)'s int8[] 32 (typavgwidth), internal states 48, text 32. */
  static int transSpace(AggQuery.Agg a) {
    String fn = transFunction(a);
    if (fn.equals("int4_avg_accum")) return 32;
    if (fn.equals("int8_avg_accum")) return 48;
    if (a.argType() != null && a.argType().equals("text") && !a.function().equals("count")) return 32;
    return 0;
  }

  /**
   * hash_agg_entry_size: a TupleHashEntryData (24 bytes), the grouping tuple in a chunk (16-byte chunk header,
   * MAXALIGN'd minimal tuple header of 16 and the input width), the per-group states (16 bytes each) and the
   * transition space, each in a chunk of its own.
   */
  static double hashEntrySize(int numTrans, int inputWidth, int transitionSpace) {
    double tuple = 16 + 16 + inputWidth;
    double pergroup = numTrans > 0 ? 16 + 16.0 * numTrans : 0;
    double transition = transitionSpace > 0 ? 16 + transitionSpace : 0;
    return 24 + tuple + pergroup + transition;
  }

  /** A grouping path's cost and rows, before HAVING. */
  record Agg(double startup, double total, double rows) {}

  /** cost_agg (the disk part only when the hash table would spill: refused). */
  static Agg agg(Strategy st, ClauseCosts c, int numGroupCols, double numGroups, Costs.Cost input, double inputTuples,
      int inputWidth, PlannerSettings s) {
    double startup;
    double total;
    double rows = numGroups;
    switch (st) {
      case PLAIN -> {
        startup = input.total() + c.transPerTuple() * inputTuples + c.finalPerGroup();
        total = startup + s.cpuTupleCost();
        rows = 1;
      }
      case SORTED -> {
        startup = input.startup();
        total = input.total() + c.transPerTuple() * inputTuples + s.cpuOperatorCost() * numGroupCols * inputTuples
            + c.finalPerGroup() * numGroups + s.cpuTupleCost() * numGroups;
      }
      case HASHED -> {
        startup = input.total() + (s.enableHashagg() ? 0 : PlannerSettings.DISABLE_COST)
            + c.transPerTuple() * inputTuples + s.cpuOperatorCost() * numGroupCols * inputTuples;
        total = startup + c.finalPerGroup() * numGroups + s.cpuTupleCost() * numGroups;
        double entry = hashEntrySize(c.numTrans(), inputWidth, c.transitionSpace());
        if (numGroups * entry > HASH_MEM_BYTES) throw new UnsupportedOperationException("a hash aggregate that spills");
      }
      default -> { // cost_group: one comparison per grouping column per input row
        startup = input.startup();
        total = input.total() + s.cpuOperatorCost() * inputTuples * numGroupCols;
      }
    }
    return new Agg(startup, total, rows);
  }

  /** cost_agg's HAVING part: the operators per output group, then clauselist_selectivity. */
  static Agg having(Agg a, List<AggQuery.Having> having, PlannerSettings s) {
    if (having.isEmpty()) return a;
    double total = a.total() + a.rows() * having.size() * s.cpuOperatorCost();
    return new Agg(a.startup(), total, Costs.clampRowEst(a.rows() * havingSelectivity(having)));
  }

  /**
   * clauselist_selectivity of the HAVING list: each inequality on an aggregate has no statistics, so 1/3; a lower
   * and an upper bound on the same aggregate of a column form a range pair (0.005, both being defaults), while
   * count(*), which references no relation, is never one (NumRelids is not 1).
   */
  static double havingSelectivity(List<AggQuery.Having> having) {
    double s = 1.0;
    List<AggQuery.Agg> lo = new ArrayList<>();
    List<AggQuery.Agg> hi = new ArrayList<>();
    for (AggQuery.Having h : having) {
      if (h.agg().column() == null) {
        s *= Selectivity.DEFAULT_INEQ_SEL;
        continue;
      }
      List<AggQuery.Agg> side = h.op().startsWith(">") ? lo : hi;
      if (!side.contains(h.agg())) side.add(h.agg());
    }
    for (AggQuery.Agg a : lo) s *= hi.contains(a) ? Selectivity.DEFAULT_RANGE_INEQ_SEL : Selectivity.DEFAULT_INEQ_SEL;
    for (AggQuery.Agg a : hi) if (!lo.contains(a)) s *= Selectivity.DEFAULT_INEQ_SEL;
    return s;
  }
}
