package sim.es.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.es.analysis.Analyzers;
import sim.es.analysis.Token;

class EsCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String[] BODIES = {
      "The quick brown fox jumps over the lazy dog", "A quick brown dog outpaces a quick fox",
      "Lazy dogs sleep all day", "Foxes are quick and clever; the fox is quick", "Elasticsearch is built on Lucene",
      "Lucene scores documents with BM25", "the the the fox", "Dog days of summer", "Brown is a colour", "quick quick quick"};
  @TempDir Path dir;

  record Out(int code, String out, String err) {}

  Out run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new EsCommand().run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path corpus() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < BODIES.length; i++) lines.add("{\"_id\":\"doc" + i + "\",\"body\":\"" + BODIES[i] + "\",\"n\":" + i + ",\"tag\":\"t" + (i % 3) + "\"}");
    return Files.write(dir.resolve("docs.jsonl"), lines);
  }

  @Test
  void searchJsonEqualsLuceneIndexSearcher() throws IOException {
    String query = "quick brown fox";
    Out o = run("search", "--index", corpus().toString(), "--query", query, "--json");
    assertEquals(0, o.code(), o.err());
    JsonNode r = JSON.readTree(o.out());
    // Lucene: the same bodies, StandardAnalyzer, one SHOULD TermQuery per analysed term
    ByteBuffersDirectory d = new ByteBuffersDirectory();
    try (org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
      for (int i = 0; i < BODIES.length; i++) {
        Document doc = new Document();
        doc.add(new StringField("_id", "doc" + i, Field.Store.YES));
        doc.add(new TextField("body", BODIES[i], Field.Store.NO));
        w.addDocument(doc);
      }
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    for (Token t : Analyzers.standard().tokens(query)) q.add(new TermQuery(new Term("body", t.term())), BooleanClause.Occur.SHOULD);
    StringBuilder expected = new StringBuilder("{\"query\":\"quick brown fox\",\"total\":");
    try (DirectoryReader reader = DirectoryReader.open(d)) {
      IndexSearcher s = new IndexSearcher(reader);
      expected.append(s.count(q.build())).append(",\"hits\":[");
      ScoreDoc[] hits = s.search(q.build(), 10).scoreDocs;
      for (int i = 0; i < hits.length; i++) {
        expected.append(i > 0 ? "," : "").append("[\"").append(s.storedFields().document(hits[i].doc).get("_id")).append("\",").append(hits[i].score).append(']');
      }
    }
    assertEquals(expected.append("]}").toString(), o.out().strip());
    assertEquals(query, r.get("query").asText());
  }

  @Test
  void dslWithAggregationsPrintsElasticsearchShapes() throws IOException {
    Out o = run("search", "--index", corpus().toString(), "--shards", "3", "--dsl",
        "{\"query\":{\"bool\":{\"must\":[{\"match\":{\"body\":\"quick\"}}],\"filter\":[{\"range\":{\"n\":{\"gte\":1}}}]}},"
            + "\"aggs\":{\"tags\":{\"terms\":{\"field\":\"tag.keyword\"}},\"avg_n\":{\"avg\":{\"field\":\"n\"}},\"n_hist\":{\"histogram\":{\"field\":\"n\",\"interval\":5}},"
            + "\"distinct\":{\"cardinality\":{\"field\":\"tag.keyword\"}},\"count\":{\"value_count\":{\"field\":\"n\"}}}}");
    assertEquals(0, o.code(), o.err());
    JsonNode r = JSON.readTree(o.out());
    assertEquals(3, r.at("/_shards/total").asInt());
    assertEquals(3, r.at("/hits/total/value").asInt()); // docs 1, 3 and 9 contain "quick" with n >= 1
    JsonNode aggs = r.get("aggregations");
    assertEquals(3, aggs.at("/count/value").asInt());
    assertEquals((1 + 3 + 9) / 3.0, aggs.at("/avg_n/value").asDouble(), 1e-9);
    assertEquals(2, aggs.at("/distinct/value").asInt()); // t1 (1) and t0 (3, 9)
    assertEquals("t0", aggs.at("/tags/buckets/0/key").asText());
    assertEquals(2, aggs.at("/tags/buckets/0/doc_count").asInt());
    assertEquals(0.0, aggs.at("/n_hist/buckets/0/key").asDouble());
    assertEquals(2, aggs.at("/n_hist/buckets/0/doc_count").asInt());
    assertEquals(1, aggs.at("/n_hist/buckets/1/doc_count").asInt());
  }

  @Test
  void routePrintsTheShardOfEachId() {
    Out o = run("route", "--shards", "5", "a", "b", "doc-17");
    assertEquals(0, o.code());
    String[] lines = o.out().strip().split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[0].matches("a\t[0-4]"), lines[0]);
  }

  @Test
  void badInputNamesTheFileAndLineAndExitsTwo() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"_id\":\"1\",\"body\":\"ok\"}\n{\"_id\":\"2\",\"body\":\n");
    Out o = run("search", "--index", bad.toString(), "--query", "ok");
    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("es: " + bad + ": line 2: malformed JSON"), o.err());
    Path noId = Files.writeString(dir.resolve("noid.jsonl"), "{\"body\":\"x\"}\n");
    assertTrue(run("search", "--index", noId.toString(), "--query", "x").err().contains("noid.jsonl: line 1: missing or empty \"_id\""));
    Out unknown = run("search", "--index", corpus().toString(), "--dsl", "{\"query\":{\"fuzzy\":{\"body\":\"x\"}}}");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown query [fuzzy]"), unknown.err());
    Out shards = run("route", "--shards", "0", "a");
    assertEquals(2, shards.code());
    assertTrue(shards.err().contains("--shards must be between 1 and 1024, got 0"), shards.err());
  }
}
