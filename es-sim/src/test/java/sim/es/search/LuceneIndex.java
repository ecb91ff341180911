package sim.es.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/** The same documents in a real Lucene 9.12 index: StandardAnalyzer, BM25, one segment per refresh, no merges. */
final class LuceneIndex implements AutoCloseable {
  final ByteBuffersDirectory dir = new ByteBuffersDirectory();
  final org.apache.lucene.index.IndexWriter writer;

  LuceneIndex() {
    this(NoMergePolicy.INSTANCE);
  }

  LuceneIndex(org.apache.lucene.index.MergePolicy mergePolicy) {
    try {
      writer = new org.apache.lucene.index.IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer())
          .setMergePolicy(mergePolicy).setMaxBufferedDocs(100_000).setRAMBufferSizeMB(256));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void index(String id, String body) throws IOException {
    Document d = new Document();
    d.add(new StringField("_id", id, Field.Store.YES));
    d.add(new TextField("body", body, Field.Store.NO));
    writer.updateDocument(new Term("_id", id), d);
  }

  void delete(String id) throws IOException {
    writer.deleteDocuments(new Term("_id", id));
  }

  void refresh() throws IOException {
    writer.commit();
  }

  /** Lucene's own force merge (IndexWriter.forceMerge), then a commit. */
  void forceMerge(int maxNumSegments) throws IOException {
    writer.forceMerge(maxNumSegments);
    writer.commit();
  }

  int segmentCount() throws IOException {
    try (DirectoryReader r = DirectoryReader.open(dir)) {
      return r.leaves().size();
    }
  }

  record Hit(String id, float score) {}

  List<Hit> search(org.apache.lucene.search.Query q, int n, long[] total) throws IOException {
    writer.commit();
    try (DirectoryReader r = DirectoryReader.open(dir)) {
      IndexSearcher s = new IndexSearcher(r);
      TopDocs top = s.search(q, n);
      total[0] = s.count(q);
      List<Hit> hits = new ArrayList<>();
      for (ScoreDoc sd : top.scoreDocs) hits.add(new Hit(s.storedFields().document(sd.doc).get("_id"), sd.score));
      return hits;
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
