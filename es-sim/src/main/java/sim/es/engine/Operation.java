package sim.es.engine;

/**
 * One operation of a shard's history: an index (with its source) or a delete of {@code id}, with its sequence
 * number and the primary term of the primary that assigned it. {@code (seqNo, primaryTerm)} names an
 * operation uniquely: two copies that hold the same pair hold the same operation.
 */
public record Operation(long seqNo, long primaryTerm, boolean delete, String id, String source) {
  String encode() {
    return seqNo + "\t" + primaryTerm + "\t" + (delete ? "D" : "I") + "\t" + id.replace("\t", " ") + "\t" + (source == null ? "" : source);
  }

  static Operation decode(String line) {
    String[] p = line.split("\t", 5);
    boolean delete = p[2].equals("D");
    return new Operation(Long.parseLong(p[0]), Long.parseLong(p[1]), delete, p[3], delete ? null : p[4]);
  }

  /** A no-op filling a gap in the seq_no sequence (a new primary fills the gaps its predecessor left, fillSeqNoGaps). */
  public static Operation noop(long seqNo, long primaryTerm) {
    return new Operation(seqNo, primaryTerm, true, "", null);
  }

  public boolean isNoop() {
    return id.isEmpty();
  }

  public String describe() {
    if (isNoop()) return "no-op seq_no " + seqNo + " term " + primaryTerm;
    return (delete ? "delete " : "index ") + id + " seq_no " + seqNo + " term " + primaryTerm;
  }
}
