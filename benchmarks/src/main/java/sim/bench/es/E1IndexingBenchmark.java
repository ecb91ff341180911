package sim.bench.es;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import sim.es.index.IndexWriter;
import sim.es.index.Mapping;

/**
 * E1: indexing 10,000 documents (analysis with the standard analyzer, postings with positions and norms,
 * a refresh every 1,000 docs) with our IndexWriter, against Lucene 9.12's IndexWriter on a
 * ByteBuffersDirectory with the same documents and the same refresh cadence
 * ({@code DirectoryReader.openIfChanged} every 1,000). One operation = the whole batch. Goal: ≥ 1×.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class E1IndexingBenchmark {
  static final int DOCS = 10_000;
  static final int REFRESH_EVERY = 1_000;
  final String[] bodies = new String[DOCS];
  final String[] sources = new String[DOCS];

  @Setup
  public void setup() {
    bodies[0] = null;
    Random r = new Random(42);
    for (int i = 0; i < DOCS; i++) {
      StringBuilder b = new StringBuilder();
      int words = 20 + r.nextInt(40);
      for (int w = 0; w < words; w++) b.append(w > 0 ? " " : "").append(Corpus.word(r));
      bodies[i] = b.toString();
      sources[i] = "{\"body\":\"" + bodies[i] + "\"}";
    }
  }

  @Benchmark
  public void ours(Blackhole bh) {
    IndexWriter w = new IndexWriter(new Mapping());
    for (int i = 0; i < DOCS; i++) {
      w.index("d" + i, sources[i], i);
      if ((i + 1) % REFRESH_EVERY == 0) bh.consume(w.refresh());
    }
  }

  @Benchmark
  public void baselineLucene(Blackhole bh) throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()))) {
      DirectoryReader reader = DirectoryReader.open(w);
      for (int i = 0; i < DOCS; i++) {
        Document d = new Document();
        d.add(new StringField("_id", "d" + i, Field.Store.YES));
        d.add(new StoredSource(sources[i]));
        d.add(new TextField("body", bodies[i], Field.Store.NO));
        w.addDocument(d);
        if ((i + 1) % REFRESH_EVERY == 0) {
          DirectoryReader next = DirectoryReader.openIfChanged(reader, w);
          if (next != null) {
            reader.close();
            reader = next;
          }
          bh.consume(reader);
        }
      }
      reader.close();
    }
  }

  /** Elasticsearch stores _source as a stored field; so does the baseline. */
  static final class StoredSource extends org.apache.lucene.document.StoredField {
    StoredSource(String source) {
      super("_source", source);
    }
  }
}
