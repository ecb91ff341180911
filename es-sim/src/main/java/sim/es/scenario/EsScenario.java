package sim.es.scenario;

import java.util.ArrayList;
import java.util.HashSet;
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

  private final EsConfig config;
  private final List<String> lessonPoints;
  private final boolean realtimeGetLesson;

  EsScenario(Lesson lesson, EsConfig config, List<String> lessonPoints, boolean realtimeGetLesson) {
    super(lesson);
    this.config = config;
    this.lessonPoints = lessonPoints;
    this.realtimeGetLesson = realtimeGetLesson;
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(NODE, () -> new ShardNode(config));
    EsClient[] client = new EsClient[1];
    sim.addClient(CLIENT, () -> client[0] = new EsClient(NODE, 100_000_000L));
    Ledger ledger = new Ledger();
    sim.trace().addListener(ledger::observe);
    sim.addInvariant("es.search-sees-exactly-the-last-refresh", () -> ledger.searchViolation);
    sim.addFinalCheck("es.acknowledged-writes-survive", () -> survive(sim, client[0], ledger));
    for (String point : lessonPoints) {
      sim.addLessonCheck("es.saw-" + point, () -> CheckResult.of("es.saw-" + point, ledger.points.getOrDefault(point, 0) > 0,
          point + " happened " + ledger.points.getOrDefault(point, 0) + " times"));
    }
    if (realtimeGetLesson) {
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

  private CheckResult survive(Simulation sim, EsClient client, Ledger ledger) {
    String name = "es.acknowledged-writes-survive";
    if (!sim.isUp(NODE)) return CheckResult.failed(name, "es1 is not up at the end");
    ShardNode node = sim.node(NODE, ShardNode.class);
    Set<String> deleted = new HashSet<>(client.deletesSent); // acknowledged or not, a delete may have happened
    List<String> lost = new ArrayList<>();
    for (String id : client.ackedCreates) if (!deleted.contains(id) && !node.writer().exists(id)) lost.add(id);
    for (String id : client.ackedDeletes) if (node.writer().exists(id)) lost.add(id + " (delete undone)");
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    if (config.durability() == EsConfig.Durability.ASYNC) {
      List<String> covered = new ArrayList<>();
      for (String id : ledger.ackedInLossWindow) {
        covered.add(id);
        covered.add(id + " (delete undone)");
      }
      allowed.put(ASYNC_RULE, covered);
    }
    return CheckResult.losses(name, client.ackedCreates.size() + " creates and " + client.ackedDeletes.size() + " deletes acknowledged",
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
        default -> { }
      }
    }

    private void checkSearch(TraceEvent e) {
      if (searchViolation != null) return;
      long refreshed = ((Number) attr(e, "refreshedSeqNo")).longValue();
      Set<String> live = new java.util.TreeSet<>();
      for (String[] op : history.headMap(refreshed, true).values()) {
        if (op[1].equals("delete")) live.remove(op[0]);
        else live.add(op[0]);
      }
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
