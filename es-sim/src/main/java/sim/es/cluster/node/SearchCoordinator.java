package sim.es.cluster.node;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.es.analysis.Analyzers;
import sim.es.analysis.Token;
import sim.es.cluster.replication.IndexShard;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ShardRouting;
import sim.es.index.IndexReader;
import sim.es.index.LeafReader;
import sim.es.search.QueryDsl;
import sim.es.search.Searcher;
import sim.es.search.Statistics;

/**
 * A search across the shards of the index, as the coordinating node runs it: one active copy of every shard
 * is asked; {@code query_then_fetch} scores each shard with its own statistics, {@code dfs_query_then_fetch}
 * first asks every shard for its term statistics and has all of them score with the sums; the coordinator
 * merges the shards' top hits by score. (The fetch phase, which loads the winners' sources, is left out:
 * hits carry ids and scores.)
 */
final class SearchCoordinator {
  static final long SEARCH_TIMEOUT_MS = 5_000;

  private final String self;
  private final EsNode node;
  private final TreeMap<Long, Search> searches = new TreeMap<>();
  private long nextId;

  private static final class Search {
    NodeId client;
    NodeMessage.SearchRequest request;
    long startedMs;
    final TreeMap<Integer, String> shardNodes = new TreeMap<>();
    final TreeMap<Integer, NodeMessage.DfsResponse> dfs = new TreeMap<>();
    final TreeMap<Integer, NodeMessage.QueryResponse> results = new TreeMap<>();
    List<String> terms;
  }

  SearchCoordinator(String self, EsNode node, long requestIdBase) {
    this.nextId = requestIdBase;
    this.self = self;
    this.node = node;
  }

  void onMessage(NodeContext ctx, NodeId from, NodeMessage m) {
    if (m instanceof NodeMessage.SearchRequest r) start(ctx, from, r);
    else if (m instanceof NodeMessage.DfsRequest r) ctx.send(from, dfs(r));
    else if (m instanceof NodeMessage.DfsResponse r) onDfs(ctx, r);
    else if (m instanceof NodeMessage.QueryRequest r) ctx.send(from, query(r));
    else if (m instanceof NodeMessage.QueryResponse r) onQuery(ctx, r);
  }

  private void start(NodeContext ctx, NodeId client, NodeMessage.SearchRequest r) {
    ClusterState s = node.appliedState();
    if (s.index() == null) {
      ctx.send(client, new NodeMessage.SearchResponse(r.requestId(), 0, List.of(), 0, "index_not_found_exception"));
      return;
    }
    Search search = new Search();
    search.client = client;
    search.request = r;
    search.startedMs = ctx.localTimeMs();
    search.terms = new ArrayList<>(new TreeSet<>(Analyzers.standard().tokens(r.text()).stream().map(Token::term).toList()));
    for (int shard = 0; shard < s.index().numberOfShards(); shard++) {
      ShardRouting copy = s.primary(shard).filter(ShardRouting::active)
          .orElse(s.copies(shard).stream().filter(ShardRouting::active).findFirst().orElse(null));
      if (copy != null) search.shardNodes.put(shard, copy.nodeId());
    }
    long id = ++nextId;
    searches.put(id, search);
    ctx.point("es.search.start", (r.dfs() ? "dfs_query_then_fetch" : "query_then_fetch") + " '" + r.text() + "' over " + search.shardNodes.size()
        + " of " + s.index().numberOfShards() + " shards " + search.shardNodes, "dfs", r.dfs(), "shards", search.shardNodes.size());
    for (var e : search.shardNodes.entrySet()) {
      NodeMessage m = r.dfs() ? new NodeMessage.DfsRequest(self, id, e.getKey(), search.terms)
          : new NodeMessage.QueryRequest(self, id, e.getKey(), r.text(), r.size(), null, null);
      ctx.send(NodeId.of(e.getValue()), m);
    }
    if (search.shardNodes.isEmpty()) finish(ctx, id);
  }

  private NodeMessage.DfsResponse dfs(NodeMessage.DfsRequest r) {
    IndexShard sh = node.shard(r.shard());
    if (sh == null) return new NodeMessage.DfsResponse(r.searchId(), r.shard(), 0, 0, 0, List.of());
    IndexReader reader = sh.engine().writer().reader();
    long[] f = reader.fieldStats("body");
    List<long[]> terms = new ArrayList<>();
    for (String t : r.terms()) terms.add(reader.termStats("body", t));
    return new NodeMessage.DfsResponse(r.searchId(), r.shard(), f[0], f[1], f[2], terms);
  }

  private void onDfs(NodeContext ctx, NodeMessage.DfsResponse r) {
    Search s = searches.get(r.searchId());
    if (s == null) return;
    s.dfs.put(r.shard(), r);
    if (s.dfs.size() < s.shardNodes.size()) return;
    long[] field = new long[3];
    List<long[]> terms = new ArrayList<>();
    for (int i = 0; i < s.terms.size(); i++) terms.add(new long[2]);
    for (NodeMessage.DfsResponse d : s.dfs.values()) {
      field[0] += d.docCount();
      field[1] += d.sumTotalTermFreq();
      field[2] += d.sumDocFreq();
      for (int i = 0; i < d.termStats().size(); i++) {
        terms.get(i)[0] += d.termStats().get(i)[0];
        terms.get(i)[1] += d.termStats().get(i)[1];
      }
    }
    ctx.point("es.search.dfs", "DFS phase: docCount " + field[0] + " summed over " + s.dfs.size() + " shards; every shard scores with these statistics",
        "docCount", field[0]);
    for (var e : s.shardNodes.entrySet()) {
      ctx.send(NodeId.of(e.getValue()), new NodeMessage.QueryRequest(self, r.searchId(), e.getKey(), s.request.text(), s.request.size(), field, terms));
    }
  }

  private NodeMessage.QueryResponse query(NodeMessage.QueryRequest r) {
    IndexShard sh = node.shard(r.shard());
    if (sh == null) return new NodeMessage.QueryResponse(r.searchId(), r.shard(), 0, List.of(), "no copy of shard " + r.shard() + " here");
    IndexReader reader = sh.engine().writer().reader();
    List<String> terms = new ArrayList<>(new TreeSet<>(Analyzers.standard().tokens(r.text()).stream().map(Token::term).toList()));
    Statistics stats = r.globalField() == null ? Statistics.of(reader) : new Statistics() {
      @Override
      public long[] field(String field) {
        return r.globalField();
      }

      @Override
      public long[] term(String field, String term) {
        int i = terms.indexOf(term);
        return i < 0 ? reader.termStats(field, term) : r.globalTerms().get(i);
      }
    };
    Searcher searcher = new Searcher(reader, stats);
    Searcher.TopDocs top = searcher.search(new QueryDsl(sh.engine().writer().mapping()).match("body", r.text()), r.size());
    List<NodeMessage.SearchHit> hits = new ArrayList<>();
    for (Searcher.ScoreDoc sd : top.scoreDocs()) hits.add(new NodeMessage.SearchHit(idOf(reader, sd.doc()), sd.score(), r.shard()));
    return new NodeMessage.QueryResponse(r.searchId(), r.shard(), top.totalHits(), hits, null);
  }

  static String idOf(IndexReader reader, int doc) {
    for (LeafReader leaf : reader.leaves()) if (doc < leaf.docBase() + leaf.segment().maxDoc()) return leaf.segment().id(doc - leaf.docBase());
    throw new IllegalArgumentException("doc " + doc + " is not in the reader");
  }

  private void onQuery(NodeContext ctx, NodeMessage.QueryResponse r) {
    Search s = searches.get(r.searchId());
    if (s == null) return;
    s.results.put(r.shard(), r);
    if (s.results.size() == s.shardNodes.size()) finish(ctx, r.searchId());
  }

  private void finish(NodeContext ctx, long id) {
    Search s = searches.remove(id);
    List<NodeMessage.SearchHit> all = new ArrayList<>();
    long total = 0;
    int ok = 0;
    for (NodeMessage.QueryResponse q : s.results.values()) {
      if (q.error() != null) continue;
      ok++;
      total += q.totalHits();
      all.addAll(q.hits());
    }
    all.sort((a, b) -> Float.compare(b.score(), a.score())); // stable: ties keep shard order, then rank
    List<NodeMessage.SearchHit> top = all.subList(0, Math.min(s.request.size(), all.size()));
    ctx.point("es.search.done", (s.request.dfs() ? "dfs_query_then_fetch" : "query_then_fetch") + " '" + s.request.text() + "': " + total + " hits from "
        + ok + " shards" + (top.isEmpty() ? "" : ", top " + top.get(0).id() + " score " + top.get(0).score()), "dfs", s.request.dfs(), "total", total);
    ctx.send(s.client, new NodeMessage.SearchResponse(s.request.requestId(), total, List.copyOf(top), ok, null));
  }

  void tick(NodeContext ctx) {
    for (Long id : List.copyOf(searches.keySet())) {
      if (ctx.localTimeMs() - searches.get(id).startedMs > SEARCH_TIMEOUT_MS) finish(ctx, id);
    }
  }
}
