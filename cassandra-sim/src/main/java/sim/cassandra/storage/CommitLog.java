package sim.cassandra.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.core.disk.SimDisk;

/**
 * The commit log: every mutation is appended to the active segment ({@code commitlog/CommitLog-7-<id>.log},
 * version 7 being what Cassandra 5.0 writes in its default {@code storage_compatibility_mode: CASSANDRA_4})
 * before it is applied to the memtable. Each entry is {@code [size][crc32(size)][mutation][crc32(mutation)]},
 * so replay stops at a torn or corrupt tail. A segment is switched when full
 * ({@code commitlog_segment_size}) and deleted once every memtable holding its data has flushed. When the
 * append is made durable is the node's business ({@link CommitLogSync}); this class says which files are
 * dirty.
 */
public final class CommitLog {
  public static final String DIR = "commitlog/";
  public static final int VERSION = 7;
  private static final int HEADER_BYTES = 16;

  private final SimDisk disk;
  private final long segmentSizeBytes;
  private long nextSegmentId;
  private long activeId = -1;
  /** {@link #fileName} of the active segment, kept so an append does not build the name again. */
  private String activeFile;
  private long activeSize;
  private final List<Long> dirtySegments = new ArrayList<>();
  private long appendedBytes;

  public CommitLog(SimDisk disk, long segmentSizeBytes, long firstSegmentId) {
    this.disk = disk;
    this.segmentSizeBytes = segmentSizeBytes;
    this.nextSegmentId = firstSegmentId;
  }

  public static String fileName(long id) {
    return DIR + "CommitLog-" + VERSION + "-" + id + ".log";
  }

  /** Segment ids on disk, oldest first. */
  public static List<Long> segmentsOnDisk(SimDisk disk) {
    List<Long> ids = new ArrayList<>();
    for (String f : disk.list(DIR)) {
      String name = f.substring(DIR.length());
      if (!name.startsWith("CommitLog-") || !name.endsWith(".log")) continue;
      String[] parts = name.substring(0, name.length() - 4).split("-");
      ids.add(Long.parseLong(parts[parts.length - 1]));
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /** Appends one mutation (page cache only) and returns the position just after it. */
  public CommitLogPosition add(Mutation m) {
    byte[] body = encode(m);
    int entry = 12 + body.length;
    if (activeId < 0 || activeSize + entry > segmentSizeBytes) switchSegment();
    ByteBuffer b = ByteBuffer.allocate(entry);
    b.putInt(body.length).putInt(crcOfInt(body.length)).put(body).putInt(crc(body));
    disk.append(activeFile, b.array());
    activeSize += entry;
    appendedBytes += entry;
    if (dirtySegments.isEmpty() || dirtySegments.get(dirtySegments.size() - 1) != activeId) dirtySegments.add(activeId);
    return new CommitLogPosition(activeId, activeSize);
  }

  private void switchSegment() {
    activeId = nextSegmentId++;
    String f = fileName(activeId);
    activeFile = f;
    disk.create(f);
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
    h.putInt(VERSION).putLong(activeId);
    h.putInt(crc(java.util.Arrays.copyOf(h.array(), 12)));
    disk.append(f, h.array());
    activeSize = HEADER_BYTES;
  }

  /** The segments written since the last {@link #markSynced}, for the node to fsync. */
  public List<String> dirtyFiles() {
    List<String> out = new ArrayList<>();
    for (long id : dirtySegments) if (disk.exists(fileName(id))) out.add(fileName(id));
    return out;
  }

  public void markSynced(List<String> files) {
    dirtySegments.removeIf(id -> files.contains(fileName(id)));
  }

  public CommitLogPosition currentPosition() {
    return activeId < 0 ? CommitLogPosition.NONE : new CommitLogPosition(activeId, activeSize);
  }

  public long appendedBytes() {
    return appendedBytes;
  }

  /**
   * Deletes every segment whose data is all flushed: those older than the oldest position still held by a
   * memtable ({@code oldestUnflushed}; {@code null} when every memtable is empty, which frees all but the
   * active segment). Returns the deleted file names.
   */
  public List<String> discardCompletedSegments(CommitLogPosition oldestUnflushed) {
    List<String> deleted = new ArrayList<>();
    for (long id : segmentsOnDisk(disk)) {
      boolean done = oldestUnflushed == null ? id != activeId : id < oldestUnflushed.segmentId();
      if (!done) continue;
      disk.delete(fileName(id));
      dirtySegments.remove(id);
      deleted.add(fileName(id));
    }
    return deleted;
  }

  /** What replay found. */
  public record Replayed(List<Mutation> mutations, List<CommitLogPosition> positions, List<String> problems, long lastSegmentId) {}

  /**
   * Reads every segment in order and returns the mutations after {@code replayFrom} (what the SSTables'
   * commit log bounds say is not yet flushed). A torn or corrupt entry ends its segment's replay, as in
   * Cassandra, and is reported.
   */
  public static Replayed replay(SimDisk disk, CommitLogPosition replayFrom, Function<String, PartitionCodec.Schema> schemaOf) {
    List<Mutation> out = new ArrayList<>();
    List<CommitLogPosition> positions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long last = -1;
    for (long id : segmentsOnDisk(disk)) {
      last = id;
      byte[] data = disk.readAll(fileName(id));
      if (data.length < HEADER_BYTES) {
        problems.add(fileName(id) + ": header torn (" + data.length + " bytes)");
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(data);
      b.position(HEADER_BYTES);
      while (b.remaining() > 0) {
        long at = b.position();
        if (b.remaining() < 8) {
          problems.add(fileName(id) + ": torn entry header at " + at);
          break;
        }
        int size = b.getInt();
        int sizeCrc = b.getInt();
        if (sizeCrc != crcOfInt(size) || size < 0 || size + 4 > b.remaining()) {
          problems.add(fileName(id) + ": torn or corrupt entry at " + at);
          break;
        }
        byte[] body = new byte[size];
        b.get(body);
        if (b.getInt() != crc(body)) {
          problems.add(fileName(id) + ": entry at " + at + " fails its CRC");
          break;
        }
        CommitLogPosition pos = new CommitLogPosition(id, b.position());
        if (pos.compareTo(replayFrom) <= 0) continue;
        Mutation m = decode(body, schemaOf);
        if (m == null) continue;
        out.add(m);
        positions.add(pos);
      }
    }
    return new Replayed(out, positions, problems, last);
  }

  static byte[] encode(Mutation m) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF(m.keyspace());
      out.writeUTF(m.table());
      PartitionCodec.write(out, m.update());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Null when the table no longer exists (dropped since). */
  static Mutation decode(byte[] body, Function<String, PartitionCodec.Schema> schemaOf) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
      String ks = in.readUTF();
      String table = in.readUTF();
      PartitionCodec.Schema schema = schemaOf.apply(ks + "." + table);
      if (schema == null) return null;
      Partition p = PartitionCodec.read(in, schema);
      return new Mutation(ks, table, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int crcOfInt(int v) {
    CRC32 c = new CRC32();
    c.update(v >>> 24);
    c.update(v >>> 16);
    c.update(v >>> 8);
    c.update(v);
    return (int) c.getValue();
  }

  static int crc(byte[] data) {
    CRC32 c = new CRC32();
    c.update(data);
    return (int) c.getValue();
  }
}
