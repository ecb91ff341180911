package sim.es.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;

/**
 * {@code es.safe-commit-retained}: after any crash a shard copy recovers every operation at or below the
 * global checkpoint its translog persisted — every one it had made durable: a copy still recovering may
 * know a global checkpoint above its own local checkpoint, as in Elasticsearch — starting from a commit
 * that holds none above it (the safe commit). Judged from the trace, not from the deletion policy: the
 * check remembers every commit a copy made durable (since its store was last replaced by a file-based
 * recovery) with its max_seq_no, and how far its fsyncs and commits had made it durable; at a store
 * recovery with persisted global checkpoint G, if one of the commits had max_seq_no at or below G,
 * recovery must start from the newest such commit or a newer safe one — it must still be there — and
 * reach min(G, durable). Only if none ever was safe may it start above G (Elasticsearch then uses the
 * oldest commit). Excused, as Elasticsearch allows it: the durable seq_nos above the point a newer primary
 * trimmed this copy's translog at (Translog.trimOperations / trimOperationOfPreviousPrimaryTerms, from the
 * resync or the replication requests of a new primary term): an older term's operation there exists on no
 * primary and was never acknowledged, and the replay skips it. An engine reset deletes the commits after the one it
 * opens (trimUnsafeCommits), which held only operations above the global checkpoint: they are forgotten. A lost
 * seq_no is excused only if a trim this copy received since its store was last replaced covers it — the seq_no above the trim's point, and the operation this
 * copy appended there last of a term below the trim's term — and only when every lost one is.
 */
final class SafeCommitCheck {
  private record Commit(long generation, long maxSeqNo) {}

  private final Map<String, TreeMap<Long, Long>> durable = new TreeMap<>(); // node|dir -> generation -> max_seq_no
  private final Map<String, Long> durableUpTo = new TreeMap<>(); // node|dir -> persisted local checkpoint reported
  private record Trim(long term, long aboveSeqNo) {}

  private final Map<String, List<Trim>> trims = new TreeMap<>(); // node|dir -> the trims a newer primary sent it
  private final Map<String, TreeMap<Long, Long>> appendedTerm = new TreeMap<>(); // node|dir -> seq_no -> term of its last append
  int excusedByTrim; // store recoveries whose missing seq_nos a newer primary's trim voided
  private String violation;
  int olderSafeCommitsOpened; // store recoveries that opened a safe commit older than the copy's last one
  String example = "";

  void install(Simulation sim) {
    sim.trace().addListener(this::observe);
    sim.addInvariant("es.safe-commit-retained", () -> violation);
  }

  void observe(TraceEvent e) {
    switch (e.kind()) {
      case "es.translog.trim" -> {
        commits(e).put(num(e, "commitGeneration"), num(e, "commitMaxSeqNo"));
        durableUpTo.merge(key(e), num(e, "commitLocalCheckpoint"), Math::max);
      }
      case "es.translog.fsync" -> durableUpTo.merge(key(e), num(e, "seqNo"), Math::max);
      case "es.translog.append" -> appendedTerm.computeIfAbsent(key(e), k -> new TreeMap<>()).put(num(e, "seqNo"), num(e, "term"));
      case "es.translog.trim-terms" -> trims.computeIfAbsent(key(e), k -> new ArrayList<>()).add(new Trim(num(e, "term"), num(e, "aboveSeqNo")));
      case "es.recovery" -> onRecovery(e);
      case "es.engine.reset" -> onReset(e);
      default -> { }
    }
  }

  /** The first violation seen, or null. */
  String violation() {
    return violation;
  }

  private TreeMap<Long, Long> commits(TraceEvent e) {
    return durable.computeIfAbsent(key(e), k -> new TreeMap<>());
  }

  private static String key(TraceEvent e) {
    return e.node() + "|" + EsScenario.Ledger.attr(e, "dir");
  }

  private void onRecovery(TraceEvent e) {
    TreeMap<Long, Long> commits = commits(e);
    long generation = num(e, "commitGeneration");
    long maxSeqNo = num(e, "commitMaxSeqNo");
    if ("store".equals(EsScenario.Ledger.attr(e, "source"))) {
      judge(e, commits, generation, maxSeqNo);
      if (generation >= 0 && !commits.isEmpty() && generation < commits.lastKey() && maxSeqNo <= num(e, "globalCheckpoint")) {
        if (olderSafeCommitsOpened++ == 0) example = e.node() + " opened segments_" + generation + ", not its last commit segments_" + commits.lastKey();
      }
    }
    if (!"store".equals(EsScenario.Ledger.attr(e, "source"))) { // a copied store starts a new translog
      trims.remove(key(e));
      appendedTerm.remove(key(e));
    }
    commits.clear(); // the opened commit is the only one left: recovery deletes the others, a file copy replaced them all
    if (generation >= 0) commits.put(generation, maxSeqNo);
    durableUpTo.put(key(e), num(e, "checkpoint")); // what is on disk now
  }

  /**
   * An engine reset (resetEngineToGlobalCheckpoint) opens the safe commit and, as InternalEngine's
   * trimUnsafeCommits does, deletes the commits after it: each held operations above the global checkpoint,
   * which the reset discards too. Deleting a newer commit that was safe would lose what it held.
   */
  private void onReset(TraceEvent e) {
    long opened = num(e, "commitGeneration");
    long gcp = num(e, "globalCheckpoint");
    TreeMap<Long, Long> commits = commits(e);
    for (Map.Entry<Long, Long> c : commits.tailMap(opened, false).entrySet()) {
      if (violation == null && c.getValue() <= gcp) {
        violation = e.node() + " " + e.detail() + ": the reset deleted segments_" + c.getKey() + " (max_seq_no " + c.getValue()
            + " <= global checkpoint " + gcp + "), a safe commit newer than the one it opened";
      }
    }
    commits.tailMap(opened, false).clear();
    durableUpTo.merge(key(e), num(e, "checkpoint"), Math::min); // the operations above it are discarded, as a rollback may
  }

  private void judge(TraceEvent e, TreeMap<Long, Long> commits, long generation, long maxSeqNo) {
    if (violation != null) return;
    long gcp = num(e, "globalCheckpoint");
    long recovered = num(e, "checkpoint");
    long mustHave = Math.min(gcp, durableUpTo.getOrDefault(key(e), -1L));
    Commit safe = null;
    for (Map.Entry<Long, Long> c : commits.entrySet()) if (c.getValue() <= gcp) safe = new Commit(c.getKey(), c.getValue());
    String where = e.node() + " " + e.detail();
    if (recovered < mustHave && voidedByTrims(key(e), recovered + 1, mustHave)) {
      excusedByTrim++; // seq_nos recovered+1..mustHave: above the newer primary's trim point, void in the translog
    } else if (recovered < mustHave) {
      violation = where + ": recovered only up to seq_no " + recovered + ", but it had made every operation durable up to " + mustHave
          + " (persisted global checkpoint " + gcp + ") — operations " + (recovered + 1) + ".." + mustHave + " are lost";
    } else if (safe != null && (generation < safe.generation() || maxSeqNo > gcp)) {
      violation = where + ": segments_" + safe.generation() + " (max_seq_no " + safe.maxSeqNo() + ") was durable and safe for global checkpoint "
          + gcp + ", but recovery started from " + (generation < 0 ? "no commit" : "segments_" + generation + " (max_seq_no " + maxSeqNo + ")")
          + ": the safe commit was not retained, so this copy cannot go back to the global checkpoint";
    }
  }

  /** Whether every seq_no in {@code from..to} is one a trim voided: above its point, last appended in a term below its term. */
  private boolean voidedByTrims(String key, long from, long to) {
    List<Trim> received = trims.getOrDefault(key, List.of());
    TreeMap<Long, Long> terms = appendedTerm.getOrDefault(key, new TreeMap<>());
    for (long seqNo = from; seqNo <= to; seqNo++) {
      Long term = terms.get(seqNo);
      long s = seqNo;
      if (term == null || received.stream().noneMatch(t -> s > t.aboveSeqNo() && term < t.term())) return false;
    }
    return true;
  }

  private static long num(TraceEvent e, String key) {
    return ((Number) EsScenario.Ledger.attr(e, key)).longValue();
  }
}
