package sim.es.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.TermQuery;
import sim.es.index.IndexWriter;
import sim.es.index.Mapping;

/**
 * For random corpora with updates, deletes and several segments, our BM25 search returns exactly what Lucene
 * 9.12's IndexSearcher returns: the same hits in the same order with bit-identical float scores, and the
 * same total.
 */
class Bm25AgreementProperties {
  static final List<String> WORDS = List.of("quick", "brown", "fox", "jumps", "over", "lazy", "dog", "elastic",
      "search", "index", "shard", "segment", "merge", "refresh", "flush", "translog", "lucene", "score", "term", "doc");

  /** One step of the workload: index (id, body), delete id, or refresh. */
  record Op(int kind, String id, String body) {}

  @Provide
  Arbitrary<List<Op>> workloads() {
    Arbitrary<String> body = Arbitraries.of(WORDS).list().ofMinSize(0).ofMaxSize(40).map(l -> String.join(" ", l));
    Arbitrary<Op> op = Combinators.combine(Arbitraries.frequency(
            net.jqwik.api.Tuple.of(8, 0), net.jqwik.api.Tuple.of(1, 1), net.jqwik.api.Tuple.of(1, 2)),
        Arbitraries.integers().between(0, 60), body).as((k, id, b) -> new Op(k, "d" + id, b));
    return op.list().ofMinSize(1).ofMaxSize(150);
  }

  @Provide
  Arbitrary<List<String>> queries() {
    return Arbitraries.of(WORDS).list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 150)
  void matchQueryScoresEqualLucene(@ForAll("workloads") List<Op> ops, @ForAll("queries") List<String> terms) throws IOException {
    try (LuceneIndex lucene = new LuceneIndex()) {
      IndexWriter ours = replay(ops, lucene);
      BooleanQuery.Builder lq = new BooleanQuery.Builder();
      List<Query> should = new ArrayList<>();
      for (String t : terms) {
        lq.add(new TermQuery(new Term("body", t)), BooleanClause.Occur.SHOULD);
        should.add(new Query.Term("body", t, 1f));
      }
      assertSame(lucene, lq.build(), ours, new Query.Bool(List.of(), should, List.of(), List.of(), 0, 1f));
    }
  }

  @Property(tries = 100)
  void boolAndPhraseScoresEqualLucene(@ForAll("workloads") List<Op> ops, @ForAll("queries") List<String> must,
      @ForAll("queries") List<String> should, @ForAll("queries") List<String> phrase) throws IOException {
    try (LuceneIndex lucene = new LuceneIndex()) {
      IndexWriter ours = replay(ops, lucene);
      BooleanQuery.Builder lq = new BooleanQuery.Builder();
      List<Query> oursMust = new ArrayList<>();
      List<Query> oursShould = new ArrayList<>();
      lq.add(new TermQuery(new Term("body", must.get(0))), BooleanClause.Occur.MUST);
      oursMust.add(new Query.Term("body", must.get(0), 1f));
      for (String t : should) {
        lq.add(new TermQuery(new Term("body", t)), BooleanClause.Occur.SHOULD);
        oursShould.add(new Query.Term("body", t, 1f));
      }
      List<String> p = phrase.subList(0, Math.min(2, phrase.size()));
      if (p.size() == 2) {
        lq.add(new PhraseQuery("body", p.toArray(new String[0])), BooleanClause.Occur.SHOULD);
        oursShould.add(new Query.Phrase("body", p, 1f));
      }
      List<Query> mustNot = new ArrayList<>();
      if (must.size() > 1 && !must.get(1).equals(must.get(0))) {
        lq.add(new TermQuery(new Term("body", must.get(1))), BooleanClause.Occur.MUST_NOT);
        mustNot.add(new Query.Term("body", must.get(1), 1f));
      }
      assertSame(lucene, lq.build(), ours, new Query.Bool(oursMust, oursShould, mustNot, List.of(), 0, 1f));
      if (p.size() == 2) {
        assertSame(lucene, new PhraseQuery("body", p.toArray(new String[0])), ours, new Query.Phrase("body", p, 1f));
      }
    }
  }

  /**
   * After a force merge to one segment on both sides — ours chosen by our TieredMergePolicy and applied by
   * IndexWriter.merge, Lucene's by its own — deleted documents no longer count in the statistics, and every
   * matching document scores bit-identically. (Compared as id -> score over all hits: within the merged
   * segment the doc order follows each side's size ordering of the segments, and Lucene's sizes are its codec's.)
   */
  @Property(tries = 100)
  void scoresEqualLuceneAfterForceMerge(@ForAll("workloads") List<Op> ops, @ForAll("queries") List<String> terms) throws IOException {
    org.apache.lucene.index.MergePolicy forcedOnly = new org.apache.lucene.index.FilterMergePolicy(new org.apache.lucene.index.TieredMergePolicy()) {
      @Override
      public MergeSpecification findMerges(org.apache.lucene.index.MergeTrigger trigger, org.apache.lucene.index.SegmentInfos infos, MergeContext ctx) {
        return null; // natural merges off: only the force merge rewrites segments, on both sides
      }

      @Override
      public MergeSpecification findFullFlushMerges(org.apache.lucene.index.MergeTrigger trigger, org.apache.lucene.index.SegmentInfos infos, MergeContext ctx) {
        return null;
      }
    };
    try (LuceneIndex lucene = new LuceneIndex(forcedOnly)) {
      IndexWriter ours = replay(ops, lucene);
      lucene.forceMerge(1);
      java.util.Map<String, Boolean> all = new java.util.LinkedHashMap<>();
      for (var s : ours.segmentStats()) all.put(s.name(), true);
      var policy = new sim.es.index.merge.TieredMergePolicy(sim.es.index.merge.TieredMergePolicy.Settings.defaults().unboundedForForcedMerges());
      for (var m : policy.findForcedMerges(ours.segmentStats(), 1, all, java.util.Set.of())) ours.merge(m.segments());
      ours.refresh();
      BooleanQuery.Builder lq = new BooleanQuery.Builder();
      List<Query> should = new ArrayList<>();
      for (String t : terms) {
        lq.add(new TermQuery(new Term("body", t)), BooleanClause.Occur.SHOULD);
        should.add(new Query.Term("body", t, 1f));
      }
      long[] total = new long[1];
      java.util.Map<String, Float> expected = new java.util.TreeMap<>();
      for (LuceneIndex.Hit h : lucene.search(lq.build(), 10_000, total)) expected.put(h.id(), h.score());
      Searcher.TopDocs top = new Searcher(ours.reader()).search(new Query.Bool(List.of(), should, List.of(), List.of(), 0, 1f), 10_000);
      java.util.Map<String, Float> actual = new java.util.TreeMap<>();
      for (Searcher.ScoreDoc sd : top.scoreDocs()) actual.put(idOf(ours, sd.doc()), sd.score());
      assertEquals(expected, actual, lq.build().toString());
      assertEquals(total[0], top.totalHits());
      assertEquals(lucene.segmentCount(), ours.segments().size(), "segments after the force merge");
    }
  }

  static IndexWriter replay(List<Op> ops, LuceneIndex lucene) throws IOException {
    IndexWriter ours = new IndexWriter(new Mapping());
    long seqNo = 0;
    for (Op op : ops) {
      switch (op.kind()) {
        case 0 -> {
          lucene.index(op.id(), op.body());
          ours.index(op.id(), "{\"body\":\"" + op.body() + "\"}", seqNo++);
        }
        case 1 -> {
          lucene.delete(op.id());
          ours.delete(op.id());
        }
        default -> {
          lucene.refresh();
          ours.refresh();
        }
      }
    }
    lucene.refresh();
    ours.refresh();
    return ours;
  }

  static void assertSame(LuceneIndex lucene, org.apache.lucene.search.Query lq, IndexWriter ours, Query oq) throws IOException {
    long[] total = new long[1];
    List<LuceneIndex.Hit> expected = lucene.search(lq, 10, total);
    Searcher searcher = new Searcher(ours.reader());
    Searcher.TopDocs top = searcher.search(oq, 10);
    List<LuceneIndex.Hit> actual = new ArrayList<>();
    for (Searcher.ScoreDoc sd : top.scoreDocs()) actual.add(new LuceneIndex.Hit(idOf(ours, sd.doc()), sd.score()));
    assertEquals(expected, actual, lq.toString());
    assertEquals(total[0], top.totalHits(), lq.toString());
  }

  static String idOf(IndexWriter w, int globalDoc) {
    for (sim.es.index.LeafReader leaf : w.reader().leaves()) {
      if (globalDoc < leaf.docBase() + leaf.segment().maxDoc()) return leaf.segment().id(globalDoc - leaf.docBase());
    }
    throw new IllegalArgumentException("no doc " + globalDoc);
  }
}
