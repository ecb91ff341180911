package sim.bench.es;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import sim.es.index.IndexWriter;
import sim.es.index.Mapping;
import sim.es.search.Query;
import sim.es.search.Searcher;

/**
 * E2: a 3-term match query (top 10 by BM25) over 100,000 documents, ours against Lucene 9.12's
 * IndexSearcher on the same documents, each in one segment. The queries cycle through 64 triples of
 * mid-frequency words. Goal: ≥ 0.5×.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class E2SearchBenchmark {
  static final int DOCS = 100_000;
  Searcher ours;
  IndexSearcher lucene;
  DirectoryReader reader;
  final List<Query> oursQueries = new ArrayList<>();
  final List<org.apache.lucene.search.Query> luceneQueries = new ArrayList<>();
  int next;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Random r = new Random(42);
    IndexWriter w = new IndexWriter(new Mapping());
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (org.apache.lucene.index.IndexWriter lw = new org.apache.lucene.index.IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(512))) {
      for (int i = 0; i < DOCS; i++) {
        StringBuilder b = new StringBuilder();
        int words = 20 + r.nextInt(40);
        for (int k = 0; k < words; k++) b.append(k > 0 ? " " : "").append(Corpus.word(r));
        w.index("d" + i, "{\"body\":\"" + b + "\"}", i);
        Document d = new Document();
        d.add(new TextField("body", b.toString(), Field.Store.NO));
        lw.addDocument(d);
      }
      lw.forceMerge(1);
    }
    ours = new Searcher(w.refresh());
    reader = DirectoryReader.open(dir);
    lucene = new IndexSearcher(reader);
    Random q = new Random(3);
    for (int i = 0; i < 64; i++) {
      List<Query> clauses = new ArrayList<>();
      BooleanQuery.Builder lq = new BooleanQuery.Builder();
      for (int t = 0; t < 3; t++) {
        String term = Corpus.WORDS[5 + q.nextInt(200)];
        clauses.add(new Query.Term("body", term, 1f));
        lq.add(new TermQuery(new Term("body", term)), BooleanClause.Occur.SHOULD);
      }
      oursQueries.add(new Query.Bool(List.of(), clauses, List.of(), List.of(), 0, 1f));
      luceneQueries.add(lq.build());
    }
  }

  @Benchmark
  public Object ours() {
    return ours.search(oursQueries.get(next++ & 63), 10);
  }

  @Benchmark
  public Object baselineLucene() throws IOException {
    return lucene.search(luceneQueries.get(next++ & 63), 10);
  }
}
