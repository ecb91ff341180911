package sim.es.index.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Our TieredMergePolicy chooses exactly the merges Lucene 9.12's TieredMergePolicy chooses — natural merges,
 * forced merges to N segments and expunge-deletes merges — on random segment sets: sizes from bytes to
 * 12 GB (below the floor, between tiers, past half the maximum), deletes from none to all, some segments
 * already merging, with Elasticsearch's defaults and with random settings.
 */
class TieredMergePolicyAgreementProperties {
  /** A random shard: its segments, which of them are merging, and the policy's settings. */
  record Shard(List<SegmentStats> segments, Set<String> merging, TieredMergePolicy.Settings settings, long seed) {
    @Override
    public String toString() {
      return segments.size() + " segments " + segments + ", merging " + merging + ", " + settings;
    }
  }

  @Provide
  Arbitrary<Shard> shards() {
    return Arbitraries.longs().map(TieredMergePolicyAgreementProperties::shard);
  }

  static Shard shard(long seed) {
    Random r = new Random(seed);
    int n = r.nextInt(4) == 0 ? r.nextInt(60) : r.nextInt(25);
    int style = r.nextInt(4); // 0: lesson-sized, 1: log-uniform to 12 GB, 2: a few equal sizes, 3: mixed
    List<SegmentStats> segments = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) order.add(i);
    java.util.Collections.shuffle(order, r);
    long[] equal = {1L << 20, 3L << 20, 2L << 30};
    Set<String> merging = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      String name = "_" + Integer.toString(order.get(i) * 2 + (r.nextBoolean() ? 0 : 1), Character.MAX_RADIX);
      int maxDoc = 1 + (int) Math.min(Integer.MAX_VALUE / 64, Math.round(Math.exp(r.nextDouble() * Math.log(2_000_000))));
      int delCount = switch (r.nextInt(5)) {
        case 0, 1 -> 0;
        case 2 -> r.nextInt(maxDoc + 1);
        case 3 -> (int) (maxDoc * (0.15 + 0.2 * r.nextDouble()));
        default -> r.nextInt(Math.max(1, maxDoc / 10));
      };
      long size = switch (style == 3 ? r.nextInt(3) : style) {
        case 0 -> 1 + r.nextInt(64 * 1024);
        case 1 -> 1 + Math.round(Math.exp(r.nextDouble() * Math.log(12.0 * (1L << 30))));
        default -> equal[r.nextInt(equal.length)];
      };
      segments.add(new SegmentStats(name, maxDoc, delCount, size));
      if (r.nextInt(8) == 0) merging.add(name);
    }
    TieredMergePolicy.Settings settings = TieredMergePolicy.Settings.defaults();
    if (r.nextInt(3) == 0) {
      settings = new TieredMergePolicy.Settings(2 + r.nextInt(19) + (r.nextBoolean() ? 0.5 : 0), 2 + r.nextInt(29),
          (1 + r.nextInt(10 * 1024)) * (1L << 20), (1 + r.nextInt(8 * 1024)) * 1024L, 5 + r.nextInt(46), r.nextInt(101));
    }
    return new Shard(segments, merging, settings, seed);
  }

  static List<List<String>> names(List<OneMerge> merges) {
    List<List<String>> out = new ArrayList<>();
    for (OneMerge m : merges) out.add(m.segments());
    return out;
  }

  @Property(tries = 3000)
  void naturalMergesEqualLucene(@ForAll("shards") Shard shard) {
    List<OneMerge> ours = new TieredMergePolicy(shard.settings()).findMerges(shard.segments(), shard.merging());
    LuceneMergePolicy lucene = new LuceneMergePolicy(shard.settings(), shard.segments(), shard.merging());
    assertEquals(lucene.findMerges(), names(ours), shard.toString());
    Statistics.collect(ours.isEmpty() ? "no merge" : ours.size() == 1 ? "one merge" : "several merges");
    Statistics.coverage(c -> { // the agreement is about real choices, not about both saying nothing
      c.check("one merge").percentage(pct -> pct > 10);
      c.check("several merges").percentage(pct -> pct > 2);
    });
  }

  @Property(tries = 2000)
  void forcedMergesEqualLucene(@ForAll("shards") Shard shard) {
    Random r = new Random(shard.seed() ^ 0x5DEECE66DL);
    int[] counts = {1, 1, 2, 3, 5, 10, Integer.MAX_VALUE};
    int maxSegmentCount = counts[r.nextInt(counts.length)];
    Map<String, Boolean> toMerge = new LinkedHashMap<>();
    for (SegmentStats s : shard.segments()) {
      int k = r.nextInt(10);
      if (k < 7) toMerge.put(s.name(), true); // there when the force merge began
      else if (k < 9) toMerge.put(s.name(), false); // written by a merge the force merge started
    }
    // Elasticsearch's forced merges are unbounded; Lucene's own setting is checked too
    TieredMergePolicy.Settings settings = r.nextBoolean() ? shard.settings().unboundedForForcedMerges() : shard.settings();
    Set<String> merging = r.nextInt(3) == 0 ? shard.merging() : Set.of(); // a running force merge makes it wait
    List<OneMerge> ours = new TieredMergePolicy(settings).findForcedMerges(shard.segments(), maxSegmentCount, toMerge, merging);
    LuceneMergePolicy lucene = new LuceneMergePolicy(settings, shard.segments(), merging);
    assertEquals(lucene.findForcedMerges(maxSegmentCount, toMerge), names(ours), "max_num_segments " + maxSegmentCount + ", " + toMerge + ", merging " + merging + ", " + shard);
    Statistics.collect(ours.isEmpty() ? "no merge" : "merges");
    Statistics.coverage(c -> c.check("merges").percentage(pct -> pct > 30));
  }

  @Property(tries = 2000)
  void expungeDeletesMergesEqualLucene(@ForAll("shards") Shard shard) {
    List<OneMerge> ours = new TieredMergePolicy(shard.settings()).findForcedDeletesMerges(shard.segments(), shard.merging());
    LuceneMergePolicy lucene = new LuceneMergePolicy(shard.settings(), shard.segments(), shard.merging());
    assertEquals(lucene.findForcedDeletesMerges(), names(ours), shard.toString());
    Statistics.collect(ours.isEmpty() ? "no merge" : "merges");
    Statistics.coverage(c -> c.check("merges").percentage(pct -> pct > 30));
  }
}
