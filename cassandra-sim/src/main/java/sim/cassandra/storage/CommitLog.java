package sim.cassandra.storage;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32;
import sim.cassandra.sstable.DataOutputBuffer;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.core.disk.SimDisk;

/**
 * The commit log: every mutation is appended to the active segment ({@code commitlog/CommitLog-7-<id>.log},
 * version 7 being what Cassandra 5.0 writes in its default {@code storage_compatibility_mode: CASSANDRA_4})
 * before it is applied to the memtable, in Cassandra's own layout:
 * <ul>
 *   <li>the header ({@code CommitLogDescriptor.writeHeader}): version, segment id, the parameters as JSON
 *       ({@code {}} without compression or encryption), and a CRC32 of them;
 *   <li>sync sections: each begins with an 8-byte sync marker {@code [next marker offset][crc32(id, offset)]}
 *       ({@code CommitLogSegment.writeSyncMarker}), reserved when the section opens and written only when the
 *       section is synced ({@link #writeSyncMarkers}), so replay never reads past the last sync even where the
 *       page cache happened to reach the disk;
 *   <li>entries: {@code [size][crc32(size)][mutation][crc32(size, mutation)]} ({@code CommitLog.add}); the
 *       mutation opens as Cassandra's does (the number of partition updates as an unsigned vint, then the
 *       16-byte table id), followed by this model's encoding of the partition update.
 * </ul>
 * A segment is switched when full ({@code commitlog_segment_size}) and deleted once every memtable holding its
 * data has flushed. When the append is made durable is the node's business ({@link CommitLogSync}); this class
 * says which files are dirty and writes the markers that make a sync point readable.
 */
public final class CommitLog {
  public static final String DIR = "commitlog/";
  public static final int VERSION = 7;
  static final int SYNC_MARKER_SIZE = 8;
  /** The header's parameters: no compression, no encryption. */
  private static final byte[] PARAMETERS = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  static final int HEADER_BYTES = 4 + 8 + 2 + PARAMETERS.length + 4;
  private static final int ENTRY_OVERHEAD_BYTES = 12;

  private final SimDisk disk;
  private final long segmentSizeBytes;
  private long nextSegmentId;
  private long activeId = -1;
  /** {@link #fileName} of the active segment, kept so an append does not build the name again. */
  private String activeFile;
  private long activeSize;
  private final List<Long> dirtySegments = new ArrayList<>();
  /** Per segment still open for syncing, where its current section's marker is reserved (not yet written). */
  private final java.util.TreeMap<Long, Long> pendingMarkers = new java.util.TreeMap<>();
  private long appendedBytes;
  private final DataOutputBuffer entryBuffer = new DataOutputBuffer(256);
  private final CRC32 entryChecksum = new CRC32();
  private String idKeyspace;
  private String idTable;
  private long[] idBits;

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

  /**
   * Appends one mutation (page cache only) and returns the position just after it. The entry is encoded in
   * place, {@code [size][crc][mutation][crc]}, into one buffer reused by every append (the disk copies what
   * it is given).
   */
  public CommitLogPosition add(Mutation m) {
    entryBuffer.clear();
    entryBuffer.writeLong(0); // the size and its CRC, filled in below
    encodeInto(entryBuffer, m);
    entryBuffer.writeInt(0); // the entry's CRC
    int entry = entryBuffer.position();
    int size = entry - ENTRY_OVERHEAD_BYTES;
    // room for the entry and for the marker the next sync reserves after it
    if (activeId < 0 || activeSize + entry + SYNC_MARKER_SIZE > segmentSizeBytes) switchSegment();
    byte[] b = entryBuffer.array();
    entryBuffer.putInt(0, size);
    entryChecksum.reset();
    entryChecksum.update(b, 0, 4); // FBUtilities.updateChecksumInt(size): its four bytes, big-endian
    entryBuffer.putInt(4, (int) entryChecksum.getValue());
    entryChecksum.update(b, 8, size);
    entryBuffer.putInt(entry - 4, (int) entryChecksum.getValue());
    disk.append(activeFile, b, 0, entry);
    activeSize += entry;
    appendedBytes += entry;
    if (dirtySegments.isEmpty() || dirtySegments.get(dirtySegments.size() - 1) != activeId) dirtySegments.add(activeId);
    return new CommitLogPosition(activeId, activeSize);
  }

  /** A new segment: the header, then the first section's marker reserved (Cassandra's segment constructor). */
  private void switchSegment() {
    activeId = nextSegmentId++;
    String f = fileName(activeId);
    activeFile = f;
    disk.create(f);
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES + SYNC_MARKER_SIZE);
    CRC32 crc = new CRC32();
    h.putInt(VERSION);
    updateChecksumInt(crc, VERSION);
    h.putLong(activeId);
    updateChecksumInt(crc, (int) (activeId & 0xFFFFFFFFL));
    updateChecksumInt(crc, (int) (activeId >>> 32));
    h.putShort((short) PARAMETERS.length);
    updateChecksumInt(crc, PARAMETERS.length);
    h.put(PARAMETERS);
    crc.update(PARAMETERS);
    h.putInt((int) crc.getValue());
    disk.append(f, h.array());
    pendingMarkers.put(activeId, (long) HEADER_BYTES);
    activeSize = HEADER_BYTES + SYNC_MARKER_SIZE;
  }

  /**
   * {@code CommitLogSegment.sync}: writes the reserved marker of every dirty segment's open section, pointing
   * at the end of the data written so far. The active segment reserves the next section's marker there; a
   * segment that is no longer active is closed (its marker points at its end). The node then fsyncs
   * {@link #dirtyFiles}: the markers are what lets replay read the sections.
   */
  public void writeSyncMarkers() {
    for (long id : dirtySegments) {
      Long marker = pendingMarkers.get(id);
      String file = fileName(id);
      if (marker == null || !disk.exists(file)) continue;
      long end = id == activeId ? activeSize : disk.size(file);
      disk.write(file, marker, syncMarker(id, marker, end));
      if (id != activeId) {
        pendingMarkers.remove(id);
        continue;
      }
      disk.append(file, new byte[SYNC_MARKER_SIZE]);
      pendingMarkers.put(id, activeSize);
      activeSize += SYNC_MARKER_SIZE;
    }
  }

  private static byte[] syncMarker(long id, long offset, long nextMarker) {
    CRC32 crc = new CRC32();
    updateChecksumInt(crc, (int) (id & 0xFFFFFFFFL));
    updateChecksumInt(crc, (int) (id >>> 32));
    updateChecksumInt(crc, (int) offset);
    return ByteBuffer.allocate(SYNC_MARKER_SIZE).putInt((int) nextMarker).putInt((int) crc.getValue()).array();
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
      pendingMarkers.remove(id);
      deleted.add(fileName(id));
    }
    return deleted;
  }

  /** What replay found. */
  public record Replayed(List<Mutation> mutations, List<CommitLogPosition> positions, List<String> problems, long lastSegmentId) {}

  /**
   * Reads every segment in order and returns the mutations after {@code replayFrom} (what the SSTables'
   * commit log bounds say is not yet flushed), as {@code CommitLogReader} does: the header must check, then
   * each sync section from its marker to the next; a zero marker (reserved, never synced) ends the segment,
   * and a torn or corrupt marker or entry ends it with the error Cassandra reports.
   */
  public static Replayed replay(SimDisk disk, CommitLogPosition replayFrom, Function<String, PartitionCodec.Schema> schemaOf) {
    List<Mutation> out = new ArrayList<>();
    List<CommitLogPosition> positions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long last = -1;
    for (long id : segmentsOnDisk(disk)) {
      last = id;
      String name = fileName(id);
      ByteBuffer b = ByteBuffer.wrap(disk.readAll(name));
      if (!headerChecks(b, id)) {
        problems.add("Could not read commit log descriptor in file " + name);
        continue;
      }
      for (long marker = HEADER_BYTES; ; ) {
        long end = sectionEnd(b, id, marker, name, problems);
        if (end < 0) break;
        String context = "Next section at " + (marker + SYNC_MARKER_SIZE) + " in " + name.substring(DIR.length());
        if (!readSection(b, (int) marker + SYNC_MARKER_SIZE, (int) end, id, context, replayFrom, schemaOf, out, positions, problems)) break;
        marker = end;
      }
    }
    return new Replayed(out, positions, problems, last);
  }

  private static boolean headerChecks(ByteBuffer b, long id) {
    if (b.remaining() < HEADER_BYTES) return false;
    CRC32 crc = new CRC32();
    int version = b.getInt();
    updateChecksumInt(crc, version);
    long fileId = b.getLong();
    updateChecksumInt(crc, (int) (fileId & 0xFFFFFFFFL));
    updateChecksumInt(crc, (int) (fileId >>> 32));
    int parameters = b.getShort() & 0xFFFF;
    updateChecksumInt(crc, parameters);
    if (b.remaining() < parameters + 4) return false;
    byte[] params = new byte[parameters];
    b.get(params);
    crc.update(params);
    return b.getInt() == (int) crc.getValue() && version == VERSION && fileId == id;
  }

  /**
   * {@code CommitLogSegmentReader.readSyncMarker}: the end of the section whose marker is at {@code offset},
   * or -1 at the end of the segment (no room for a marker, or a zero one), with a problem for a bad marker.
   */
  private static long sectionEnd(ByteBuffer b, long id, long offset, String name, List<String> problems) {
    if (offset > b.limit() - SYNC_MARKER_SIZE) return -1;
    CRC32 crc = new CRC32();
    updateChecksumInt(crc, (int) (id & 0xFFFFFFFFL));
    updateChecksumInt(crc, (int) (id >>> 32));
    updateChecksumInt(crc, (int) offset);
    int end = b.getInt((int) offset);
    int fileCrc = b.getInt((int) offset + 4);
    if (fileCrc != (int) crc.getValue()) {
      if (end != 0 || fileCrc != 0) {
        problems.add("Encountered bad header at position " + offset + " of commit log " + name
            + ", with invalid CRC. The end of segment marker should be zero.");
      }
      return -1;
    }
    if (end < offset || end > b.limit()) {
      problems.add("Encountered bad header at position " + offset + " of commit log " + name + ", with bad position but valid CRC");
      return -1;
    }
    return end;
  }

  /** {@code CommitLogReader.readSection}: the entries from {@code from} to {@code end}; false once an error ends the segment. */
  private static boolean readSection(ByteBuffer b, int from, int end, long id, String context, CommitLogPosition replayFrom,
      Function<String, PartitionCodec.Schema> schemaOf, List<Mutation> out, List<CommitLogPosition> positions, List<String> problems) {
    int at = from;
    while (at < end) {
      if (end - at < 4) return false;
      int size = b.getInt(at);
      if (size == 0) return false; // the zero padding after the last entry of a segment
      if (size < 10) {
        problems.add("Invalid mutation size " + size + " at " + at + " in " + context);
        return false;
      }
      CRC32 checksum = new CRC32();
      updateChecksumInt(checksum, size);
      if (at + 8 > b.limit() || b.getInt(at + 4) != (int) checksum.getValue()) {
        problems.add("Mutation size checksum failure at " + at + " in " + context);
        return false;
      }
      if ((long) at + ENTRY_OVERHEAD_BYTES + size > b.limit()) {
        problems.add("Unexpected end of segment at " + at + " in " + context);
        return false;
      }
      byte[] body = new byte[size];
      b.get(at + 8, body);
      checksum.update(body);
      int next = at + ENTRY_OVERHEAD_BYTES + size;
      if (b.getInt(next - 4) != (int) checksum.getValue()) {
        // Cassandra skips a bad entry inside a section only if errors there are tolerated; a replica stops
        problems.add("Mutation checksum failure at " + at + " in " + context);
        return false;
      }
      at = next;
      CommitLogPosition pos = new CommitLogPosition(id, at);
      if (pos.compareTo(replayFrom) <= 0) continue;
      Mutation m = decode(body, schemaOf);
      if (m == null) continue;
      out.add(m);
      positions.add(pos);
    }
    return true;
  }

  private void encodeInto(DataOutputBuffer out, Mutation m) {
    try {
      out.writeByte(1); // Mutation.serializer: one partition update (an unsigned vint below 128 is one byte)
      long[] id = tableId(m);
      out.writeLong(id[0]); // TableId.serialize: the UUID's most, then least significant bits
      out.writeLong(id[1]);
      out.writeUTF(m.keyspace());
      out.writeUTF(m.table());
      PartitionCodec.write(out, m.update());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link TableStore#tableIdBits}, remembered for the table written last (a log's appends mostly go to one). */
  private long[] tableId(Mutation m) {
    if (!m.keyspace().equals(idKeyspace) || !m.table().equals(idTable)) {
      idBits = TableStore.tableIdBits(m.qualifiedTable());
      idKeyspace = m.keyspace();
      idTable = m.table();
    }
    return idBits;
  }

  /** Null when the table no longer exists (dropped since). */
  static Mutation decode(byte[] body, Function<String, PartitionCodec.Schema> schemaOf) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
      in.skipBytes(1 + 16); // the update count and the table id, which the names below repeat
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

  /** {@code FBUtilities.updateChecksumInt}: the int's four bytes, big-endian. */
  static void updateChecksumInt(CRC32 c, int v) {
    c.update(v >>> 24);
    c.update(v >>> 16);
    c.update(v >>> 8);
    c.update(v);
  }
}
