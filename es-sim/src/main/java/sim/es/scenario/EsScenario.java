package sim.es.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.core.trace.TraceEvent;
import sim.es.engine.EsConfig;
import sim.es.engine.ShardNode;

/**
 * One node with one shard ({@code es1}) and one client: the write path, refresh visibility and crash
 * recovery, with the safety checks every such run must pass and the lesson checks of its story.
 */
final class EsScenario extends LessonScenario {
  static final NodeId NODE = NodeId.of("es1");
  static final NodeId CLIENT = NodeId.of("client");
  static final String ASYNC_RULE = "index.translog.durability=async: the translog is fsynced every sync_interval (5s), so operations acknowledged since the last fsync are lost when the node crashes";

  /** Which story the scenario tells, beyond its write-path points. */
  enum Story { WRITE_PATH, REALTIME_GET, MERGE_STORM }

  static final long FORCE_MERGE_AT_NANOS = 9_000_000_000L;

  private final EsConfig config;
  private final List<String> lessonPoints;
  private final Story story;

  EsScenario(Lesson lesson, EsConfig config, List<String> lessonPoints, Story story) {
    super(lesson);
    this.config = config;
    this.lessonPoints = lessonPoints;
    this.story = story;
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(NODE, () -> new ShardNode(config));
    EsClient[] client = new EsClient[1];
    sim.addClient(CLIENT, () -> client[0] = story == Story.MERGE_STORM ? new EsClient(NODE, 10_000_000L, true, FORCE_MERGE_AT_NANOS)
        : new EsClient(NODE, 100_000_000L));
    Ledger ledger = new Ledger();
    sim.trace().addListener(ledger::observe);
    sim.addInvariant("es.search-sees-exactly-the-last-refresh", () -> ledger.searchViolation);
    sim.addInvariant("es.merge-keeps-exactly-the-live-docs", () -> ledger.mergeViolation);
    new SafeCommitCheck().install(sim);
    sim.addFinalCheck("es.acknowledged-writes-survive", () -> survive(sim, client[0], ledger));
    for (String point : lessonPoints) {
      sim.addLessonCheck("es.saw-" + point, () -> CheckResult.of("es.saw-" + point, ledger.points.getOrDefault(point, 0) > 0,
          point + " happened " + ledger.points.getOrDefault(point, 0) + " times"));
    }
    if (story == Story.MERGE_STORM) mergeStormLessons(sim, client, ledger);
    if (story == Story.REALTIME_GET) {
      sim.addLessonCheck("es.realtime-get-before-refresh", () -> {
        int seen = 0;
        for (var g : client[0].gets) {
          if (!g.found()) continue;
          for (var s : client[0].searches) if (s.requestId() == g.requestId() - 1 && !s.ids().contains(g.id())) seen++;
        }
        return CheckResult.of("es.realtime-get-before-refresh", seen > 0,
            seen + " realtime GETs found a document that the search sent just before did not see (not yet refreshed)");
      });
    }
    sim.addInspector("segments", "the shard's segments, indexing buffer, last refresh and last commit",
        arg -> sim.isUp(NODE) ? sim.node(NODE, ShardNode.class).describeSegments() : "es1 is down");
    sim.addInspector("translog", "the translog's generations, offsets and checkpoint",
        arg -> sim.isUp(NODE) ? sim.node(NODE, ShardNode.class).translog().toString() : "es1 is down");
  }

  private static void mergeStormLessons(Simulation sim, EsClient[] client, Ledger ledger) {
    sim.addLessonCheck("es.merges-reclaim-deletes", () -> CheckResult.of("es.merges-reclaim-deletes", ledger.reclaimedDeletes > 0,
        ledger.points.getOrDefault("es.merge.done", 0) + " merges dropped " + ledger.reclaimedDeletes + " deleted docs; at most "
            + ledger.maxSegments + " segments at once"));
    sim.addLessonCheck("es.force-merge-to-one-segment", () -> {
      var done = client[0].forceMerges.stream().filter(f -> f.error() == null).toList();
      return CheckResult.of("es.force-merge-to-one-segment", !done.isEmpty() && done.get(0).segments() == 1,
          done.isEmpty() ? "no force merge finished" : "_forcemerge?max_num_segments=1 left " + done.get(0).segments() + " segment(s)");
    });
  }

  /**
   * For every id whose last write was acknowledged: an index must have left the document there, a delete
   * must have left it gone. (An id whose last write is unacknowledged may be either.)
   */
  private CheckResult survive(Simulation sim, EsClient client, Ledger ledger) {
    String name = "es.acknowledged-writes-survive";
    if (!sim.isUp(NODE)) return CheckResult.failed(name, "es1 is not up at the end");
    ShardNode node = sim.node(NODE, ShardNode.class);
    List<String> lost = new ArrayList<>();
    for (Map.Entry<String, Long> e : client.lastSent.entrySet()) {
      String result = client.ackedResults.get(e.getValue());
      if (result == null) continue;
      boolean exists = node.writer().exists(e.getKey());
      boolean deleted = result.equals("deleted") || result.equals("not_found");
      if (!deleted && !exists) lost.add(e.getKey());
      if (deleted && exists) lost.add(e.getKey() + " (delete undone)");
    }
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    if (config.durability() == EsConfig.Durability.ASYNC) {
      List<String> covered = new ArrayList<>();
      for (String id : ledger.ackedInLossWindow) {
        covered.add(id);
        covered.add(id + " (delete undone)");
      }
      allowed.put(ASYNC_RULE, covered);
    }
    return CheckResult.losses(name, client.ackedCreates.size() + " index and " + client.ackedDeletes.size() + " delete operations acknowledged",
        lost, allowed);
  }

  /** Follows the shard's write-path points: op history by seq_no, fsyncs, crashes, and the searches' answers. */
  static final class Ledger {
    final Map<String, Integer> points = new LinkedHashMap<>();
    final TreeMap<Long, String[]> history = new TreeMap<>(); // seqNo -> {id, op}
    final Map<String, Long> ackedAt = new LinkedHashMap<>();
    final List<String> ackedInLossWindow = new ArrayList<>();
    long lastFsyncNanos;
    String searchViolation;
    String mergeViolation;
    long reclaimedDeletes;
    int maxSegments;

    void observe(TraceEvent e) {
      if (!e.node().equals(NODE.toString()) && !e.node().equals(NODE.name())) return;
      points.merge(e.kind(), 1, Integer::sum);
      switch (e.kind()) {
        case "es.index.buffer" -> history.put(((Number) attr(e, "seqNo")).longValue(), new String[] {(String) attr(e, "id"), (String) attr(e, "op")});
        case "es.translog.fsync", "es.flush" -> lastFsyncNanos = e.timeNanos();
        case "es.ack" -> ackedAt.put((String) attr(e, "id"), e.timeNanos());
        case "crash" -> {
          for (Map.Entry<String, Long> a : ackedAt.entrySet()) if (a.getValue() >= lastFsyncNanos) ackedInLossWindow.add(a.getKey());
        }
        case "es.recovery" -> history.tailMap(((Number) attr(e, "maxSeqNo")).longValue(), false).clear();
        case "es.search" -> checkSearch(e);
        case "es.merge.done" -> checkMerge(e);
        case "es.refresh" -> maxSegments = Math.max(maxSegments, ((Number) attr(e, "segments")).intValue());
        default -> { }
      }
    }

    /** After a merge the index holds exactly the live documents of the operation history: none lost, none back. */
    private void checkMerge(TraceEvent e) {
      reclaimedDeletes += ((Number) attr(e, "reclaimedDeletes")).longValue();
      if (mergeViolation != null) return;
      List<String> live = new ArrayList<>(liveAt(Long.MAX_VALUE));
      if (String.join(",", live).hashCode() != ((Number) attr(e, "liveIdsHash")).intValue() || live.size() != ((Number) attr(e, "liveIds")).intValue()) {
        mergeViolation = "after the merge at " + e.timeNanos() + "ns the index holds " + attr(e, "liveIds") + " live docs, but the operation history leaves "
            + live.size() + ": a merge must keep every live document and drop every deleted one, including those deleted while it ran";
      }
    }

    private Set<String> liveAt(long seqNo) {
      Set<String> live = new java.util.TreeSet<>();
      for (String[] op : history.headMap(seqNo, true).values()) {
        if (op[1].equals("delete")) live.remove(op[0]);
        else live.add(op[0]);
      }
      return live;
    }

    private void checkSearch(TraceEvent e) {
      if (searchViolation != null) return;
      long refreshed = ((Number) attr(e, "refreshedSeqNo")).longValue();
      Set<String> live = liveAt(refreshed);
      int hash = String.join(",", live).hashCode();
      if (hash != ((Number) attr(e, "idsHash")).intValue() || live.size() != ((Number) attr(e, "hits")).intValue()) {
        searchViolation = "a search at " + e.timeNanos() + "ns returned " + attr(e, "hits") + " docs, but the last refresh (seq_no " + refreshed
            + ") holds " + live.size() + ": a search must see exactly the documents of the last refresh, no more, no fewer";
      }
    }

    static Object attr(TraceEvent e, String key) {
      List<Object> a = e.attributes();
      for (int i = 0; i + 1 < a.size(); i += 2) if (key.equals(a.get(i))) return a.get(i + 1);
      throw new IllegalStateException(e.kind() + " has no attribute " + key);
    }
  }
}
