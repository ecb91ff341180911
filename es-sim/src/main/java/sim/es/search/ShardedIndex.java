package sim.es.search;

import java.util.ArrayList;
import java.util.List;
import sim.es.cluster.OperationRouting;
import sim.es.index.IndexReader;
import sim.es.index.IndexWriter;
import sim.es.index.LeafReader;
import sim.es.index.Mapping;

/**
 * An index of N shards searched as a coordinating node does: documents routed by {@link OperationRouting},
 * the query sent to every shard, each returning its top hits scored with its own statistics
 * ({@code query_then_fetch}) or with statistics gathered from all shards first ({@code dfs_query_then_fetch});
 * the coordinator merges by score (ties: lower shard, then lower doc) and fetches the winners' sources.
 */
public final class ShardedIndex {
  private final Mapping mapping = new Mapping();
  private final List<IndexWriter> shards = new ArrayList<>();

  public ShardedIndex(int numberOfShards) {
    OperationRouting.defaultRoutingNumShards(numberOfShards); // validates the count
    for (int i = 0; i < numberOfShards; i++) shards.add(new IndexWriter(mapping));
  }

  public Mapping mapping() {
    return mapping;
  }

  public int shardCount() {
    return shards.size();
  }

  public int index(String id, String source) {
    int shard = OperationRouting.shardId(id, shards.size());
    shards.get(shard).index(id, source, 0);
    return shard;
  }

  public void refresh() {
    for (IndexWriter w : shards) w.refresh();
  }

  public IndexWriter shard(int i) {
    return shards.get(i);
  }

  /** A hit as the coordinating node returns it. */
  public record Hit(String id, float score, int shard, String source) {}

  public record Result(long total, List<Hit> hits, List<List<Aggregations.DocRef>> matches) {}

  public Result search(Query query, int size, boolean dfs) {
    List<IndexReader> readers = new ArrayList<>();
    for (IndexWriter w : shards) readers.add(w.reader());
    Statistics global = dfs ? Statistics.global(readers) : null;
    List<Hit> candidates = new ArrayList<>();
    List<List<Aggregations.DocRef>> matches = new ArrayList<>();
    long total = 0;
    for (int s = 0; s < readers.size(); s++) {
      IndexReader r = readers.get(s);
      Searcher searcher = new Searcher(r, dfs ? global : Statistics.of(r));
      List<Aggregations.DocRef> shardMatches = new ArrayList<>();
      searcher.search(query, (leaf, doc, score) -> shardMatches.add(new Aggregations.DocRef(leaf.segment(), doc)));
      matches.add(shardMatches);
      Searcher.TopDocs top = searcher.search(query, size);
      total += top.totalHits();
      for (Searcher.ScoreDoc sd : top.scoreDocs()) {
        LeafReader leaf = leafOf(r, sd.doc());
        int doc = sd.doc() - leaf.docBase();
        candidates.add(new Hit(leaf.segment().id(doc), sd.score(), s, leaf.segment().source(doc)));
      }
    }
    // candidates are grouped by shard and, within a shard, in rank order: a stable sort keeps both tie-breaks
    candidates.sort((a, b) -> Float.compare(b.score(), a.score()));
    return new Result(total, candidates.subList(0, Math.min(size, candidates.size())), matches);
  }

  static LeafReader leafOf(IndexReader r, int globalDoc) {
    for (LeafReader leaf : r.leaves()) if (globalDoc < leaf.docBase() + leaf.segment().maxDoc()) return leaf;
    throw new IllegalArgumentException("doc " + globalDoc + " is not in the reader");
  }
}
