package sim.postgres.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import sim.core.Check;
import sim.core.disk.SimDisk;
import sim.postgres.heap.Tid;

/**
 * The write-ahead log: records go into WAL buffers at the insert LSN, are written to the segment file by
 * XLogWrite and become durable at XLogFlush (fsync). An LSN is a byte position in the log. Each record
 * is framed as [total length][CRC-32C][payload], so redo stops at the first torn or missing record.
 */
public final class Wal {
  public static final String SEGMENT = "pg_wal/000000010000000000000001";
  static final int FRAME_BYTES = 8;

  public record Entry(long lsn, WalRecord record) {}

  private final SimDisk disk;
  private byte[] buffer = new byte[1 << 16];
  private int buffered;
  private long insertLsn;
  private long writtenLsn;
  private long flushedLsn;
  private final CRC32C crc = new CRC32C();
  private final java.util.ArrayDeque<Entry> recent = new java.util.ArrayDeque<>();
  private long recordsAppended;

  Wal(SimDisk disk, long endLsn) {
    this.disk = disk;
    this.insertLsn = endLsn;
    this.writtenLsn = endLsn;
    this.flushedLsn = endLsn;
    if (!disk.exists(SEGMENT)) disk.create(SEGMENT);
  }

  /** XLogInsert: returns the LSN where the record starts; its end LSN is {@link #insertLsn()} after. */
  long append(WalRecord r) {
    int start = buffered;
    int payloadLen;
    if (r instanceof WalRecord.Insert i && i.fpi() == null) {
      // the hot path: the same bytes WalRecord.encode writes, straight into the WAL buffers
      payloadLen = 1 + 4 + 4 + 6 + 4 + i.tuple().length + 1 + 1;
      ensure(FRAME_BYTES + payloadLen);
      ByteBuffer b = ByteBuffer.wrap(buffer, start + FRAME_BYTES, payloadLen);
      b.put((byte) 1).putInt(i.xid()).putInt(i.relOid()).putInt(i.tid().block()).putShort((short) i.tid().offset())
          .putInt(i.tuple().length).put(i.tuple()).put((byte) 0).put((byte) (i.initPage() ? 1 : 0));
    } else {
      byte[] payload = WalRecord.encode(r);
      payloadLen = payload.length;
      ensure(FRAME_BYTES + payloadLen);
      System.arraycopy(payload, 0, buffer, start + FRAME_BYTES, payloadLen);
    }
    crc.reset();
    crc.update(buffer, start + FRAME_BYTES, payloadLen);
    int len = FRAME_BYTES + payloadLen;
    ByteBuffer.wrap(buffer, start, FRAME_BYTES).putInt(len).putInt((int) crc.getValue());
    buffered += len;
    long lsn = insertLsn;
    insertLsn += len;
    recordsAppended++;
    recent.add(new Entry(lsn, r));
    if (recent.size() > 200) recent.pollFirst();
    return lsn;
  }

  /**
   * The INSERT fast path: the record's bytes, tuple image included, encoded straight into the WAL buffers
   * (the same bytes {@link WalRecord#encode} writes for the record with that image).
   */
  long appendInsert(int xid, sim.postgres.heap.Table table, Tid tid, sim.postgres.heap.HeapTuple tuple, boolean initPage) {
    int start = buffered;
    int tupleLen = PageCodec.tupleLength(table, tuple);
    int payloadLen = 1 + 4 + 4 + 6 + 4 + tupleLen + 1 + 1;
    ensure(FRAME_BYTES + payloadLen);
    ByteBuffer b = ByteBuffer.wrap(buffer, start + FRAME_BYTES, payloadLen);
    b.put((byte) 1).putInt(xid).putInt(table.oid).putInt(tid.block()).putShort((short) tid.offset()).putInt(tupleLen);
    int header = 1 + 4 + 4 + 6 + 4; // type, xid, relation, tid, tuple length
    PageCodec.encodeTupleInto(table, tuple, buffer, start + FRAME_BYTES + header);
    buffer[start + FRAME_BYTES + header + tupleLen] = 0; // no full-page image
    buffer[start + FRAME_BYTES + header + tupleLen + 1] = (byte) (initPage ? 1 : 0);
    crc.reset();
    crc.update(buffer, start + FRAME_BYTES, payloadLen);
    int len = FRAME_BYTES + payloadLen;
    ByteBuffer.wrap(buffer, start, FRAME_BYTES).putInt(len).putInt((int) crc.getValue());
    buffered += len;
    long lsn = insertLsn;
    insertLsn += len;
    recordsAppended++;
    recent.add(new Entry(lsn, new WalRecord.Insert(xid, table.oid, tid, NO_IMAGE, null, initPage)));
    if (recent.size() > 200) recent.pollFirst();
    return lsn;
  }

  private static final byte[] NO_IMAGE = new byte[0];

  private void ensure(int more) {
    if (buffered + more > buffer.length) buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, buffered + more));
  }

  /** XLogFlush: write and fsync the log up to at least {@code lsn}. */
  void flush(long lsn) {
    if (lsn <= flushedLsn && buffered == 0) return;
    if (lsn <= flushedLsn) return;
    write();
    disk.fsync(SEGMENT);
    flushedLsn = writtenLsn;
  }

  /** XLogWrite without fsync (the WAL writer's background write). */
  void write() {
    if (buffered == 0) return;
    disk.write(SEGMENT, writtenLsn, buffer, 0, buffered);
    writtenLsn += buffered;
    buffered = 0;
  }

  public long insertLsn() {
    return insertLsn;
  }

  public long flushedLsn() {
    return flushedLsn;
  }

  public long recordsAppended() {
    return recordsAppended;
  }

  public List<Entry> recent() {
    return new ArrayList<>(recent);
  }

  /** Reads records from {@code startLsn} to the first incomplete or corrupt one. */
  static List<Entry> read(SimDisk disk, long startLsn) {
    List<Entry> out = new ArrayList<>();
    if (!disk.exists(SEGMENT)) return out;
    byte[] all = disk.readAll(SEGMENT);
    long pos = startLsn;
    while (pos + FRAME_BYTES <= all.length) {
      ByteBuffer b = ByteBuffer.wrap(all, (int) pos, all.length - (int) pos);
      int len = b.getInt();
      int crcStored = b.getInt();
      if (len < FRAME_BYTES + 1 || pos + len > all.length) break;
      byte[] payload = new byte[len - FRAME_BYTES];
      b.get(payload);
      CRC32C crc = new CRC32C();
      crc.update(payload);
      if ((int) crc.getValue() != crcStored) break;
      try {
        out.add(new Entry(pos, WalRecord.decode(payload)));
      } catch (java.io.IOException | RuntimeException e) {
        break;
      }
      pos += len;
    }
    return out;
  }

  public static String formatLsn(long lsn) {
    String lo = Long.toHexString(lsn & 0xffffffffL).toUpperCase(java.util.Locale.ROOT);
    return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/" + "0".repeat(8 - lo.length()) + lo;
  }

  static void checkOrder(long pageLsn, long flushed) {
    Check.state(pageLsn <= flushed, "WAL before data violated: page LSN %s beyond flushed WAL %s",
        formatLsn(pageLsn), formatLsn(flushed));
  }
}
