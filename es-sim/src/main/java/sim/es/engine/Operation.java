package sim.es.engine;

/** One translog operation: an index (with its source) or a delete, with its sequence number. */
public record Operation(long seqNo, boolean delete, String id, String source) {
  String encode() {
    return seqNo + "\t" + (delete ? "D" : "I") + "\t" + id.replace("\t", " ") + "\t" + (source == null ? "" : source);
  }

  static Operation decode(String line) {
    String[] p = line.split("\t", 4);
    boolean delete = p[1].equals("D");
    return new Operation(Long.parseLong(p[0]), delete, p[2], delete ? null : p[3]);
  }
}
