package sim.es.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import sim.core.disk.SimDisk;

/**
 * Elasticsearch's translog on the node's disk: generation files {@code translog-N.tlog} of length-prefixed,
 * CRC-checked operations, and {@code translog.ckp}, the checkpoint written after each fsync with the
 * generation, the synced offset and the operation count. Recovery trusts only what the checkpoint covers:
 * bytes past its offset were never fsynced as far as the translog knows and are ignored, as in
 * Elasticsearch's TranslogReader. A flush starts a new generation; once the Lucene commit is durable the
 * generations nothing references are deleted (trimmed). As Elasticsearch's Translog.getMinReferencedGen, a
 * generation is referenced while it holds an operation above the safe commit's local checkpoint
 * (minGenerationForSeqNo(local_checkpoint + 1) over each generation's max_seq_no): the safe commit's own
 * generation is not enough, since older ones may hold operations above its local checkpoint that its Lucene
 * state lacks (a copy that went back to its global checkpoint discarded them from Lucene, not from here).
 */
public final class Translog {
  private final SimDisk disk;
  private final String dir;
  private long globalCheckpoint = -1;
  private long syncedGlobalCheckpoint = -1; // the global checkpoint of the last checkpoint known durable
  private long generation;
  private long writtenOffset;
  private long syncedOffset;
  private int writtenOps;
  private int syncedOps;
  private long minGeneration;
  private final java.util.TreeMap<Long, Long> maxSeqNoOf = new java.util.TreeMap<>(); // generation -> its highest seq_no (TranslogReader's checkpoint)
  private final java.util.TreeMap<Long, Long> trimmedAbove = new java.util.TreeMap<>(); // term -> seq_no: older terms' ops above it are void

  /** The translog state a checkpoint records. */
  public record Checkpoint(long generation, long offset, int numOps, long minGeneration, long globalCheckpoint) {}

  /** The translog in {@code dir} ("" or "indices/idx/0/") of the node's disk. */
  public Translog(SimDisk disk, String dir) {
    this.disk = disk;
    this.dir = dir;
  }

  public String file(long generation) {
    return dir + "translog-" + generation + ".tlog";
  }

  private String checkpointFile() {
    return dir + "translog.ckp";
  }

  /** The global checkpoint this copy knows, written with the next checkpoint (Elasticsearch keeps it there too). */
  public void setGlobalCheckpoint(long gcp) {
    globalCheckpoint = Math.max(globalCheckpoint, gcp);
  }

  /** The global checkpoint the last durable checkpoint recorded (after {@link #recover}). */
  public long globalCheckpoint() {
    return globalCheckpoint;
  }

  /**
   * The global checkpoint of the last checkpoint whose fsync completed (Translog.getLastSyncedGlobalCheckpoint):
   * what the deletion policy may rely on, since a crash cannot take the disk's below it.
   */
  public long syncedGlobalCheckpoint() {
    return syncedGlobalCheckpoint;
  }

  /** A flush fsynced the checkpoint it wrote when rolling the generation, with this global checkpoint. */
  public void checkpointSynced(long gcp) {
    syncedGlobalCheckpoint = Math.max(syncedGlobalCheckpoint, gcp);
  }

  /**
   * Translog.trimOperations(belowTerm, aboveSeqNo), on the resync of a new primary of {@code belowTerm}: an
   * operation of an older term above {@code aboveSeqNo} exists on no primary any more, and a replay skips it
   * (Elasticsearch records this as trimmed_above_seq_no in the checkpoints). Returns the file to fsync, or
   * null if nothing changed.
   */
  public String trimOperations(long belowTerm, long aboveSeqNo) {
    Long had = trimmedAbove.get(belowTerm);
    if (had != null && had <= aboveSeqNo) return null;
    trimmedAbove.put(belowTerm, aboveSeqNo);
    StringBuilder b = new StringBuilder();
    trimmedAbove.forEach((term, seqNo) -> b.append(term).append(' ').append(seqNo).append('\n'));
    String file = dir + "translog.trimmed";
    if (disk.exists(file)) disk.delete(file);
    disk.create(file);
    disk.write(file, 0, b.toString().getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** Whether a replay skips {@code op}: a newer primary's resync trimmed it. */
  public boolean trimmed(Operation op) {
    for (var e : trimmedAbove.tailMap(op.primaryTerm(), false).entrySet()) if (op.seqNo() > e.getValue()) return true;
    return false;
  }

  private void readTrimmed() {
    trimmedAbove.clear();
    String file = dir + "translog.trimmed";
    if (!disk.exists(file)) return;
    for (String line : new String(disk.readAll(file), StandardCharsets.UTF_8).split("\n")) {
      String[] p = line.trim().split(" ");
      if (p.length == 2) trimmedAbove.put(Long.parseLong(p[0]), Long.parseLong(p[1]));
    }
  }

  /** Opens the translog after a (re)start: reads the checkpoint and continues its generation. */
  public List<Operation> recover(StringBuilder report) {
    readTrimmed();
    Checkpoint ckp = readCheckpoint();
    List<Operation> ops = new ArrayList<>();
    if (ckp == null) {
      generation = 1;
      minGeneration = 1;
      disk.create(file(generation));
      writeCheckpoint();
      return ops;
    }
    minGeneration = ckp.minGeneration();
    maxSeqNoOf.clear();
    for (long g = ckp.minGeneration(); g <= ckp.generation(); g++) {
      long limit = g == ckp.generation() ? ckp.offset() : disk.exists(file(g)) ? disk.size(file(g)) : 0;
      List<Operation> read = read(g, limit, report);
      for (Operation op : read) noteSeqNo(g, op.seqNo());
      ops.addAll(read);
    }
    generation = ckp.generation();
    writtenOffset = syncedOffset = ckp.offset();
    writtenOps = syncedOps = ckp.numOps();
    long size = disk.exists(file(generation)) ? disk.size(file(generation)) : 0;
    if (size > ckp.offset()) {
      report.append("ignored ").append(size - ckp.offset()).append(" bytes of ").append(file(generation)).append(" past the checkpoint; ");
      disk.truncate(file(generation), ckp.offset());
    }
    if (!disk.exists(file(generation))) disk.create(file(generation));
    return ops;
  }

  /**
   * Every operation written to the retained generations, fsynced or not: a running engine that reopens its
   * store (an engine reset, a local recovery before a peer recovery) replays its own translog, and what it
   * wrote is there for it to read (Elasticsearch reads through its own writer's buffers too).
   */
  public List<Operation> readWritten() {
    List<Operation> ops = new ArrayList<>();
    StringBuilder ignored = new StringBuilder();
    for (long g = minGeneration; g <= generation; g++) if (disk.exists(file(g))) ops.addAll(read(g, disk.size(file(g)), ignored));
    return ops;
  }

  private List<Operation> read(long g, long limit, StringBuilder report) {
    List<Operation> ops = new ArrayList<>();
    if (!disk.exists(file(g))) return ops;
    byte[] data = disk.read(file(g), 0, (int) Math.min(limit, disk.size(file(g))));
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.remaining() >= 8) {
      int len = b.getInt();
      int crc = b.getInt();
      if (len < 0 || len > b.remaining()) {
        report.append(file(g)).append(": truncated operation at ").append(b.position() - 8).append("; ");
        break;
      }
      byte[] payload = new byte[len];
      b.get(payload);
      CRC32 c = new CRC32();
      c.update(payload);
      if ((int) c.getValue() != crc) {
        report.append(file(g)).append(": checksum mismatch at ").append(b.position() - len - 8).append("; ");
        break;
      }
      ops.add(Operation.decode(new String(payload, StandardCharsets.UTF_8)));
    }
    return ops;
  }

  /** Appends an operation to the current generation (page cache only); returns the new written offset. */
  public long add(Operation op) {
    byte[] payload = op.encode().getBytes(StandardCharsets.UTF_8);
    CRC32 c = new CRC32();
    c.update(payload);
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putInt(payload.length).putInt((int) c.getValue()).put(payload);
    disk.append(file(generation), b.array());
    noteSeqNo(generation, op.seqNo());
    writtenOffset += b.capacity();
    writtenOps++;
    return writtenOffset;
  }

  /** The files an fsync must cover to make everything written so far durable. */
  public List<String> filesToSync() {
    return List.of(file(generation), checkpointFile());
  }

  /** Before the fsync: the checkpoint that fsync will make durable covers what is written now. */
  public Checkpoint prepareSync() {
    writeCheckpoint();
    return new Checkpoint(generation, writtenOffset, writtenOps, minGeneration, globalCheckpoint);
  }

  /** The fsync of {@link #prepareSync}'s checkpoint completed. */
  public void synced(Checkpoint ckp) {
    checkpointSynced(ckp.globalCheckpoint());
    if (ckp.generation() == generation) {
      syncedOffset = Math.max(syncedOffset, ckp.offset());
      syncedOps = Math.max(syncedOps, ckp.numOps());
    }
  }

  public boolean needsSync() {
    return writtenOffset > syncedOffset;
  }

  /** The generation being written: a flush fsyncs it before it commits (Translog.rollGeneration syncs the current writer). */
  public String currentFile() {
    return file(generation);
  }

  /** Starts a new generation (a flush is about to commit everything in the older ones). */
  public long rollGeneration() {
    generation++;
    writtenOffset = syncedOffset = 0;
    writtenOps = syncedOps = 0;
    disk.create(file(generation));
    writeCheckpoint();
    return generation;
  }

  private void noteSeqNo(long g, long seqNo) {
    maxSeqNoOf.merge(g, seqNo, Math::max);
  }

  /**
   * Translog.minGenerationForSeqNo: the oldest generation holding an operation at or above {@code seqNo}, or
   * the current one if none does (the writer's generation is always kept).
   */
  public long minGenerationForSeqNo(long seqNo) {
    long min = generation;
    for (var e : maxSeqNoOf.headMap(generation, false).entrySet()) {
      if (e.getKey() >= minGeneration && e.getValue() >= seqNo) return Math.min(min, e.getKey());
    }
    return min;
  }

  /** After a durable commit (Translog.trimUnreferencedReaders): deletes the generations below {@code keepFrom}. */
  public List<String> trimBelow(long keepFrom) {
    List<String> deleted = new ArrayList<>();
    for (long g = minGeneration; g < keepFrom; g++) {
      maxSeqNoOf.remove(g);
      if (disk.exists(file(g))) {
        disk.delete(file(g));
        deleted.add(file(g));
      }
    }
    minGeneration = Math.max(minGeneration, keepFrom);
    writeCheckpoint();
    return deleted;
  }

  /** Deletes every generation and the checkpoint: a file-based recovery starts this copy's translog afresh. */
  public void wipe() {
    for (String f : disk.list(dir + "translog")) disk.delete(f);
    trimmedAbove.clear();
    maxSeqNoOf.clear();
    generation = 0;
    minGeneration = 0;
    writtenOffset = syncedOffset = 0;
    writtenOps = syncedOps = 0;
  }

  public long generation() {
    return generation;
  }

  public long minGeneration() {
    return minGeneration;
  }

  /** The bytes of the generations from {@code fromGeneration} on. */
  public long sizeInBytesFrom(long fromGeneration) {
    long size = 0;
    for (long g = Math.max(minGeneration, fromGeneration); g <= generation; g++) if (disk.exists(file(g))) size += disk.size(file(g));
    return size;
  }

  public long sizeInBytes() {
    long size = 0;
    for (long g = minGeneration; g <= generation; g++) if (disk.exists(file(g))) size += disk.size(file(g));
    return size;
  }

  public long uncommittedOffset() {
    return writtenOffset;
  }

  public long syncedOffset() {
    return syncedOffset;
  }

  public int operations() {
    return writtenOps;
  }

  private void writeCheckpoint() {
    ByteBuffer b = ByteBuffer.allocate(CHECKPOINT_BYTES);
    b.putLong(generation).putLong(writtenOffset).putInt(writtenOps).putLong(minGeneration).putLong(globalCheckpoint).putInt(0);
    if (!disk.exists(checkpointFile())) disk.create(checkpointFile());
    disk.write(checkpointFile(), 0, b.array());
  }

  private static final int CHECKPOINT_BYTES = 40;

  private Checkpoint readCheckpoint() {
    if (!disk.exists(checkpointFile()) || disk.size(checkpointFile()) < CHECKPOINT_BYTES) return null;
    ByteBuffer b = ByteBuffer.wrap(disk.read(checkpointFile(), 0, CHECKPOINT_BYTES));
    Checkpoint ckp = new Checkpoint(b.getLong(), b.getLong(), b.getInt(), b.getLong(), b.getLong());
    globalCheckpoint = syncedGlobalCheckpoint = ckp.globalCheckpoint(); // after a crash what is on disk is durable
    return ckp;
  }

  @Override
  public String toString() {
    return "generation " + generation + " (min " + minGeneration + "), " + writtenOps + " ops, written " + writtenOffset
        + " B, synced " + syncedOffset + " B, " + sizeInBytes() + " B on disk";
  }
}
