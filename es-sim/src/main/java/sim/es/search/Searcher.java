package sim.es.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import sim.es.index.InvertedField;
import sim.es.index.IndexReader;
import sim.es.index.LeafReader;

/**
 * Lucene's IndexSearcher over one shard's reader: evaluates a {@link Query} segment by segment and collects
 * the top hits (score descending, then doc id ascending). Scores combine as Lucene's scorers combine them,
 * so they are equal to the last bit: a disjunction or conjunction sums its clauses' float scores in a
 * double and rounds once (DisjunctionSumScorer, ConjunctionScorer); a required clause plus optional ones
 * adds in float (ReqOptSumScorer); duplicate SHOULD clauses are merged into one with their boosts summed
 * (BooleanQuery.rewrite).
 */
public final class Searcher {
  private final IndexReader reader;
  private final Statistics stats;

  public Searcher(IndexReader reader, Statistics stats) {
    this.reader = reader;
    this.stats = stats;
  }

  public Searcher(IndexReader reader) {
    this(reader, Statistics.of(reader));
  }

  public IndexReader reader() {
    return reader;
  }

  /** One hit: the doc id in the reader (docBase + segment doc) and its score. */
  public record ScoreDoc(int doc, float score) {}

  public record TopDocs(long totalHits, List<ScoreDoc> scoreDocs) {}

  /** Receives every live matching doc of a search, segment by segment. */
  public interface Collector {
    void collect(LeafReader leaf, int doc, float score);
  }

  public TopDocs search(Query query, int size) {
    PriorityQueue<ScoreDoc> top = new PriorityQueue<>(Math.max(1, size), (a, b) ->
        a.score() != b.score() ? Float.compare(a.score(), b.score()) : Integer.compare(b.doc(), a.doc()));
    long[] total = {0};
    search(query, (leaf, doc, score) -> {
      total[0]++;
      if (size == 0) return;
      ScoreDoc sd = new ScoreDoc(leaf.docBase() + doc, score);
      if (top.size() < size) top.add(sd);
      else if (score > top.peek().score()) {
        top.poll();
        top.add(sd);
      }
    });
    List<ScoreDoc> hits = new ArrayList<>(top);
    hits.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.doc(), b.doc()));
    return new TopDocs(total[0], hits);
  }

  public void search(Query query, Collector collector) {
    Query rewritten = rewrite(query);
    Map<Query, Weight> weights = new LinkedHashMap<>();
    for (LeafReader leaf : reader.leaves()) {
      Matches m = eval(rewritten, leaf, 1f, weights);
      for (int i = 0; i < m.size; i++) {
        if (leaf.isLive(m.docs[i])) collector.collect(leaf, m.docs[i], m.scores[i]);
      }
    }
  }

  /** BooleanQuery.rewrite's SHOULD deduplication: equal clauses become one, boosted by the sum of their boosts. */
  static Query rewrite(Query q) {
    if (!(q instanceof Query.Bool b)) return q;
    List<Query> should = new ArrayList<>();
    if (b.minimumShouldMatch() <= 1) {
      Map<Query, Double> boosts = new LinkedHashMap<>();
      for (Query c : b.should()) boosts.merge(withBoost(rewrite(c), 1f), (double) c.boost(), Double::sum);
      for (Map.Entry<Query, Double> e : boosts.entrySet()) should.add(withBoost(e.getKey(), e.getValue().floatValue()));
    } else {
      for (Query c : b.should()) should.add(rewrite(c));
    }
    return new Query.Bool(b.must().stream().map(Searcher::rewrite).toList(), should,
        b.mustNot().stream().map(Searcher::rewrite).toList(), b.filter().stream().map(Searcher::rewrite).toList(),
        b.minimumShouldMatch(), b.boost());
  }

  static Query withBoost(Query q, float boost) {
    if (q instanceof Query.Term t) return new Query.Term(t.field(), t.term(), boost);
    if (q instanceof Query.Phrase p) return new Query.Phrase(p.field(), p.terms(), boost);
    if (q instanceof Query.Terms t) return new Query.Terms(t.field(), t.terms(), boost);
    if (q instanceof Query.Range r) return new Query.Range(r.field(), r.gt(), r.gte(), r.lt(), r.lte(), boost);
    if (q instanceof Query.Exists e) return new Query.Exists(e.field(), boost);
    if (q instanceof Query.MatchAll) return new Query.MatchAll(boost);
    if (q instanceof Query.MatchNone) return new Query.MatchNone(boost);
    Query.Bool b = (Query.Bool) q;
    return new Query.Bool(b.must(), b.should(), b.mustNot(), b.filter(), b.minimumShouldMatch(), boost);
  }

  /** A term or phrase query's BM25 scorer, built once per search from the statistics (Lucene's Weight). */
  private record Weight(Bm25 bm25) {}

  private Matches eval(Query q, LeafReader leaf, float parentBoost, Map<Query, Weight> weights) {
    float boost = q.boost() * parentBoost;
    if (q instanceof Query.Term t) return term(t, leaf, boost, weights);
    if (q instanceof Query.Phrase p) return PhraseMatcher.match(p, leaf, phraseWeight(p, boost, weights));
    if (q instanceof Query.Bool b) return bool(b, leaf, boost, weights);
    return ConstantScoreQueries.match(q, leaf, boost);
  }

  private Matches term(Query.Term t, LeafReader leaf, float boost, Map<Query, Weight> weights) {
    InvertedField f = leaf.segment().field(t.field());
    int ord = f == null ? -1 : f.ord(t.term());
    if (ord < 0) return Matches.NONE;
    Bm25 bm25 = weights.computeIfAbsent(new Query.Term(t.field(), t.term(), boost), k -> {
      long[] fs = stats.field(t.field());
      long[] ts = stats.term(t.field(), t.term());
      return new Weight(Bm25.scorer(boost, Bm25.idf(ts[0], fs[0]), fs[1], fs[0]));
    }).bm25();
    int[] docs = f.docs(ord);
    int[] freqs = f.freqs(ord);
    float[] scores = new float[docs.length];
    for (int i = 0; i < docs.length; i++) scores[i] = bm25.score(freqs == null ? 1 : freqs[i], f.norm(docs[i]));
    return new Matches(docs, scores, docs.length);
  }

  private Bm25 phraseWeight(Query.Phrase p, float boost, Map<Query, Weight> weights) {
    return weights.computeIfAbsent(new Query.Phrase(p.field(), p.terms(), boost), k -> {
      long[] fs = stats.field(p.field());
      double idf = 0; // BM25Similarity.idfExplain: float idfs summed in a double
      for (String term : p.terms()) idf += Bm25.idf(stats.term(p.field(), term)[0], fs[0]);
      return new Weight(Bm25.scorer(boost, (float) idf, fs[1], fs[0]));
    }).bm25();
  }

  private Matches bool(Query.Bool b, LeafReader leaf, float boost, Map<Query, Weight> weights) {
    if (b.must().isEmpty() && b.should().isEmpty() && b.filter().isEmpty()) {
      // Elasticsearch: an empty bool matches everything; a bool of only must_not filters match-all (score 0)
      Matches all = ConstantScoreQueries.match(new Query.MatchAll(1f), leaf, b.mustNot().isEmpty() ? boost : 0f);
      return exclude(all, b.mustNot(), leaf, weights);
    }
    List<Matches> must = new ArrayList<>();
    for (Query c : b.must()) must.add(eval(c, leaf, boost, weights));
    List<Matches> filter = new ArrayList<>();
    for (Query c : b.filter()) filter.add(eval(c, leaf, 0f, weights));
    List<Matches> should = new ArrayList<>();
    for (Query c : b.should()) should.add(eval(c, leaf, boost, weights));
    boolean hasRequired = !must.isEmpty() || !filter.isEmpty();
    int msm = b.minimumShouldMatch();
    Matches result;
    if (!hasRequired) {
      result = disjunction(should, Math.max(1, msm));
    } else {
      List<Matches> scoring = new ArrayList<>(must);
      if (msm > 0) scoring.add(disjunction(should, msm));
      Matches req = conjunction(scoring, filter);
      result = msm > 0 || should.isEmpty() ? req : reqOpt(req, disjunction(should, 1));
    }
    return exclude(result, b.mustNot(), leaf, weights);
  }

  private Matches exclude(Matches m, List<Query> mustNot, LeafReader leaf, Map<Query, Weight> weights) {
    if (mustNot.isEmpty()) return m;
    List<Matches> excluded = new ArrayList<>();
    for (Query c : mustNot) excluded.add(eval(c, leaf, 0f, weights));
    int[] docs = new int[m.size];
    float[] scores = new float[m.size];
    int n = 0;
    outer:
    for (int i = 0; i < m.size; i++) {
      for (Matches x : excluded) if (x.indexOf(m.docs[i]) >= 0) continue outer;
      docs[n] = m.docs[i];
      scores[n++] = m.scores[i];
    }
    return new Matches(docs, scores, n);
  }

  /** DisjunctionSumScorer (or MinShouldMatchSumScorer): docs matching at least {@code msm} clauses, scores summed in a double. */
  static Matches disjunction(List<Matches> clauses, int msm) {
    if (clauses.size() == 1 && msm <= 1) return clauses.get(0);
    int total = 0;
    for (Matches m : clauses) total += m.size;
    long[] keyed = new long[total]; // doc << 20 | clause, sorted: each doc's clauses together
    int n = 0;
    for (int c = 0; c < clauses.size(); c++) {
      Matches m = clauses.get(c);
      for (int i = 0; i < m.size; i++) keyed[n++] = ((long) m.docs[i] << 20) | c;
    }
    Arrays.sort(keyed);
    int[] cursor = new int[clauses.size()];
    int[] docs = new int[total];
    float[] scores = new float[total];
    int out = 0;
    for (int i = 0; i < total; ) {
      int doc = (int) (keyed[i] >>> 20);
      double sum = 0;
      int count = 0;
      for (; i < total && (int) (keyed[i] >>> 20) == doc; i++) {
        int c = (int) (keyed[i] & 0xFFFFF);
        sum += clauses.get(c).scores[cursor[c]++];
        count++;
      }
      if (count >= msm) {
        docs[out] = doc;
        scores[out++] = (float) sum;
      }
    }
    return new Matches(docs, scores, out);
  }

  /** ConjunctionScorer: docs in every clause; the scoring clauses' scores summed in a double. */
  static Matches conjunction(List<Matches> scoring, List<Matches> nonScoring) {
    List<Matches> all = new ArrayList<>(scoring);
    all.addAll(nonScoring);
    if (all.size() == 1 && scoring.size() == 1) return scoring.get(0);
    Matches lead = all.get(0);
    for (Matches m : all) if (m.size < lead.size) lead = m;
    int[] docs = new int[lead.size];
    float[] scores = new float[lead.size];
    int n = 0;
    outer:
    for (int i = 0; i < lead.size; i++) {
      int doc = lead.docs[i];
      double sum = 0;
      for (Matches m : all) if (m.indexOf(doc) < 0) continue outer;
      for (Matches m : scoring) sum += m.scores[m.indexOf(doc)];
      docs[n] = doc;
      scores[n++] = (float) sum;
    }
    return new Matches(docs, scores, n);
  }

  /** ReqOptSumScorer: the required score, plus (in float) the optional score where it matches too. */
  static Matches reqOpt(Matches req, Matches opt) {
    float[] scores = new float[req.size];
    for (int i = 0; i < req.size; i++) {
      float score = req.scores[i];
      int j = opt.indexOf(req.docs[i]);
      if (j >= 0) score += opt.scores[j];
      scores[i] = score;
    }
    return new Matches(req.docs, scores, req.size);
  }
}
