package sim.es.scenario;

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
 * primary and was never acknowledged, and the replay skips it. Only seq_nos above the lowest trim point the
 * copy received since its store was last replaced are excused, and only when every lost one is above it.
 */
final class SafeCommitCheck {
  private record Commit(long generation, long maxSeqNo) {}

  private final Map<String, TreeMap<Long, Long>> durable = new TreeMap<>(); // node|dir -> generation -> max_seq_no
  private final Map<String, Long> durableUpTo = new TreeMap<>(); // node|dir -> persisted local checkpoint reported
  private final Map<String, Long> trimmedAbove = new TreeMap<>(); // node|dir -> lowest seq_no a newer primary voided older terms above
  int excusedByTrim; // store recoveries whose missing seq_nos a newer primary's trim voided
  private String violation;
  int olderSafeCommitsOpened; // store recoveries that opened a safe commit older than the copy's last one
  String example = "";

  void install(Simulation sim) {
    sim.trace().addListener(this::observe);
    sim.addInvariant("es.safe-commit-retained", () -> violation);
  }

  private void observe(TraceEvent e) {
    switch (e.kind()) {
      case "es.translog.trim" -> {
        commits(e).put(num(e, "commitGeneration"), num(e, "commitMaxSeqNo"));
        durableUpTo.merge(key(e), num(e, "commitLocalCheckpoint"), Math::max);
      }
      case "es.translog.fsync" -> durableUpTo.merge(key(e), num(e, "seqNo"), Math::max);
      case "es.translog.trim-terms" -> trimmedAbove.merge(key(e), num(e, "aboveSeqNo"), Math::min);
      case "es.recovery" -> onRecovery(e);
      default -> { }
    }
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
    if (!"store".equals(EsScenario.Ledger.attr(e, "source"))) trimmedAbove.remove(key(e)); // a copied store starts a new translog
    commits.clear(); // the opened commit is the only one left: recovery deletes the others, a file copy replaced them all
    if (generation >= 0) commits.put(generation, maxSeqNo);
    durableUpTo.put(key(e), num(e, "checkpoint")); // what is on disk now
  }

  private void judge(TraceEvent e, TreeMap<Long, Long> commits, long generation, long maxSeqNo) {
    if (violation != null) return;
    long gcp = num(e, "globalCheckpoint");
    long recovered = num(e, "checkpoint");
    long mustHave = Math.min(gcp, durableUpTo.getOrDefault(key(e), -1L));
    Commit safe = null;
    for (Map.Entry<Long, Long> c : commits.entrySet()) if (c.getValue() <= gcp) safe = new Commit(c.getKey(), c.getValue());
    String where = e.node() + " " + e.detail();
    Long trim = trimmedAbove.get(key(e));
    if (recovered < mustHave && trim != null && recovered >= trim) {
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

  private static long num(TraceEvent e, String key) {
    return ((Number) EsScenario.Ledger.attr(e, key)).longValue();
  }
}
