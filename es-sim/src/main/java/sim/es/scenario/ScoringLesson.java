package sim.es.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.Timer;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.es.cluster.OperationRouting;
import sim.es.cluster.node.ClusterConfig;
import sim.es.cluster.node.NodeMessage;
import sim.es.search.Query;
import sim.es.search.ShardedIndex;

/**
 * Scores differ across shards: each shard scores BM25 with its own statistics ({@code query_then_fetch}), so
 * a term common in one shard and rare in another gives the same kind of document different scores;
 * {@code dfs_query_then_fetch} first sums every shard's statistics and scores like one index.
 */
final class ScoringLesson {
  static final String QUERY = "quick fox";
  static final int SHARDS = 3;

  private ScoringLesson() {}

  /** The corpus: "fox" in every document of shard 0, in one document of shard 1, nowhere in shard 2. */
  static Map<String, String> corpus() {
    Map<String, String> docs = new LinkedHashMap<>();
    int[] perShard = new int[SHARDS];
    for (int n = 0; docs.size() < 24; n++) {
      String id = "doc-" + n;
      int shard = OperationRouting.shardId(id, SHARDS);
      if (perShard[shard] >= 8) continue;
      int k = perShard[shard]++;
      String body = switch (shard) {
        case 0 -> "the quick brown fox number " + k + " jumps over the lazy dog";
        case 1 -> k == 0 ? "a fox is quick" : "the quick brown dog number " + k + " sleeps in the sun";
        default -> "the lazy cat number " + k + " is quick to sleep";
      };
      docs.put(id, body);
    }
    return docs;
  }

  /** What one index of the same documents scores them: the number dfs_query_then_fetch must reproduce. */
  static Map<String, Float> singleIndexScores(Map<String, String> docs) {
    ShardedIndex one = new ShardedIndex(1);
    for (var e : docs.entrySet()) one.index(e.getKey(), "{\"body\":\"" + e.getValue() + "\"}");
    one.refresh();
    Query q = new sim.es.search.QueryDsl(one.mapping()).match("body", QUERY);
    Map<String, Float> scores = new LinkedHashMap<>();
    for (ShardedIndex.Hit h : one.search(q, 100, false).hits()) scores.put(h.id(), h.score());
    return scores;
  }

  /** Indexes the corpus one document per tick, then searches both ways once everything is refreshed. */
  static final class Client implements Node {
    record Tick() implements Timer {}

    final List<NodeId> nodes;
    final List<Map.Entry<String, String>> docs;
    int next;
    long requestId;
    int acked;
    boolean searched;
    final List<NodeMessage.SearchResponse> responses = new ArrayList<>();
    final Map<Long, Boolean> dfsOf = new LinkedHashMap<>();

    Client(List<NodeId> nodes, Map<String, String> docs) {
      this.nodes = nodes;
      this.docs = new ArrayList<>(docs.entrySet());
    }

    @Override
    public void start(NodeContext ctx) {
      ctx.setTimer(new Tick(), Durations.millis(500));
    }

    @Override
    public void onTimer(NodeContext ctx, Timer timer) {
      if (next < docs.size()) {
        var d = docs.get(next++);
        ctx.send(nodes.get(next % nodes.size()), new NodeMessage.IndexRequest(++requestId, d.getKey(), "{\"body\":\"" + d.getValue() + "\"}", false, 1));
        ctx.setTimer(timer, Durations.millis(20));
      } else if (acked == docs.size() && !searched) {
        searched = true; // everything acknowledged; one refresh_interval later it is all searchable
        ctx.setTimer(new Tick(), Durations.millis(1_500));
      } else if (searched && dfsOf.isEmpty()) {
        for (boolean dfs : new boolean[] {false, true}) {
          long id = ++requestId;
          dfsOf.put(id, dfs);
          ctx.send(nodes.get(0), new NodeMessage.SearchRequest(id, QUERY, dfs, 24));
        }
      } else if (!searched) {
        ctx.setTimer(timer, Durations.millis(200));
      }
    }

    @Override
    public void onMessage(NodeContext ctx, NodeId from, Message message) {
      if (message instanceof NodeMessage.IndexResponse r && r.status() < 300) acked++;
      if (message instanceof NodeMessage.SearchResponse s) responses.add(s);
    }

    Map<String, Float> scores(boolean dfs) {
      Map<String, Float> out = new LinkedHashMap<>();
      for (NodeMessage.SearchResponse s : responses) {
        if (!dfsOf.getOrDefault(s.requestId(), !dfs).equals(dfs)) continue;
        for (NodeMessage.SearchHit h : s.hits()) out.put(h.id(), h.score());
      }
      return out;
    }

    @Override
    public String describeState() {
      return acked + " of " + docs.size() + " documents indexed; " + responses.size() + " searches answered";
    }
  }

  /**
   * The healed phase before the final checks: a follower that lost its master under random faults needs up to
   * leader_check.retry_count (3) checks of leader_check.timeout (10s) each, one leader_check.interval (1s) apart,
   * before it looks for a new one, then an election and the shards' recovery — 2s judged a cluster that had no
   * time to converge (a red shard at seed 647).
   */
  private static final long LIVENESS = Durations.seconds(20);

  static Scenario scenario() {
    ClusterConfig config = ClusterConfig.of(ClusterLessons.THREE, SHARDS, 0, ClusterLessons.ENGINE);
    Map<String, String> docs = corpus();
    return new ClusterScenario(new Lesson("es.scoring-dfs",
        "scores differ across shards: query_then_fetch scores with each shard's statistics, dfs_query_then_fetch with the sums, like one index",
        "24 documents over 3 primaries: \"fox\" is in all 8 of shard 0, in one of shard 1's and in none of shard 2's. The client searches \"quick fox\" twice. With query_then_fetch (the default) every shard scores BM25 with its own docCount and docFreq: on shard 1 \"fox\" is rare, so its idf — and the one fox document's score — is far higher than the fox documents of shard 0, where the term is everywhere. With dfs_query_then_fetch the coordinating node first asks every shard for its term statistics (the DFS phase), sends the sums with the query, and every shard scores as if it held the whole index: the scores equal those of a single-shard index of the same documents, to the last bit. es.search.dfs shows the summed statistics.",
        "", Durations.seconds(6), LIVENESS), config, 0, 1, List.of(),
        (Simulation sim, ClusterScenario.Run run) -> {
          Client[] client = new Client[1];
          sim.addClient(NodeId.of("searcher"), () -> client[0] = new Client(run.nodes(), docs));
          Map<String, Float> reference = singleIndexScores(docs);
          sim.addLessonCheck("es.scores-differ-across-shards", () -> {
            Map<String, Float> qtf = client[0].scores(false);
            Map<String, Float> dfs = client[0].scores(true);
            long differ = qtf.keySet().stream().filter(id -> dfs.containsKey(id) && !qtf.get(id).equals(dfs.get(id))).count();
            return CheckResult.of("es.scores-differ-across-shards", !qtf.isEmpty() && differ > 0, differ + " of " + qtf.size()
                + " hits score differently under query_then_fetch than under dfs_query_then_fetch" + top(qtf, dfs));
          });
          sim.addLessonCheck("es.dfs-scores-equal-one-index", () -> {
            Map<String, Float> dfs = client[0].scores(true);
            boolean equal = !dfs.isEmpty() && dfs.equals(reference);
            return CheckResult.of("es.dfs-scores-equal-one-index", equal, dfs.size() + " dfs_query_then_fetch hits; " + (equal
                ? "every score equals the single-index score bit for bit" : "scores differ from one index's: " + dfs + " vs " + reference));
          });
        });
  }

  private static String top(Map<String, Float> qtf, Map<String, Float> dfs) {
    if (qtf.isEmpty() || dfs.isEmpty()) return "";
    var q = qtf.entrySet().iterator().next();
    var d = dfs.entrySet().iterator().next();
    return "; top hit under query_then_fetch: " + q.getKey() + " (" + q.getValue() + "), under dfs: " + d.getKey() + " (" + d.getValue() + ")";
  }
}
