package sim.zk.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Adler32;
import sim.core.disk.SimDisk;
import sim.zk.tree.DataTree;

/**
 * Snapshots as {@code version-2/snapshot.<zxid hex>}: the sessions with their timeouts, every node, and an
 * Adler32 checksum at the end (as {@code FileSnap} writes). Written to a temp name, fsynced, then renamed, so
 * a crash leaves either the old or the new snapshot; a damaged one is skipped for the one before it.
 */
public final class SnapshotStore {
  private final SimDisk disk;

  public SnapshotStore(SimDisk disk) {
    this.disk = disk;
  }

  /** A loaded snapshot. */
  public record Snapshot(long zxid, DataTree tree, TreeMap<Long, Integer> sessions) {}

  /**
   * Writes, fsyncs and renames into place: a periodic snapshot. Synchronous on purpose: real ZooKeeper writes
   * it on its own "Snapshot Thread", which no ACK or reply waits for (the txns are already durable in the
   * log), so no latency of this fsync belongs on the write path. The real one is not even fsynced
   * ({@code takeSnapshot(false)}); the model makes it durable at once, as the OS's writeback would soon after,
   * because the purge that follows may delete log files only an older snapshot still needed.
   */
  public void write(long zxid, DataTree tree, Map<Long, Integer> sessions) {
    String tmp = writeTemp(zxid, tree, sessions);
    disk.fsync(tmp);
    install(zxid);
  }

  /** The snapshot's bytes under a temp name; durable once the caller fsyncs it, visible after {@link #install}. */
  public String writeTemp(long zxid, DataTree tree, Map<Long, Integer> sessions) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(zxid);
      out.writeInt(sessions.size());
      for (Map.Entry<Long, Integer> e : sessions.entrySet()) {
        out.writeLong(e.getKey());
        out.writeInt(e.getValue());
      }
      List<DataTree.SnapshotNode> nodes = tree.snapshotNodes();
      out.writeInt(nodes.size());
      for (DataTree.SnapshotNode n : nodes) {
        out.writeUTF(n.path());
        out.writeUTF(n.data());
        TxnCodec.writeStat(out, n.stat());
      }
      Adler32 a = new Adler32();
      a.update(bytes.toByteArray());
      out.writeLong(a.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String tmp = nameOf(zxid) + ".tmp";
    disk.delete(tmp);
    disk.write(tmp, 0, bytes.toByteArray());
    return tmp;
  }

  /** The atomic rename that makes a durable temp snapshot the snapshot at {@code zxid}. */
  public void install(long zxid) {
    disk.rename(nameOf(zxid) + ".tmp", nameOf(zxid));
  }

  private static String nameOf(long zxid) {
    return TxnLog.DIR + "snapshot." + Long.toHexString(zxid);
  }

  /** Every snapshot but the one at {@code zxid} goes (after a SNAP replaced the whole state). */
  public void deleteAllBut(long zxid) {
    for (String f : disk.list(TxnLog.DIR + "snapshot.")) if (!f.equals(nameOf(zxid))) disk.delete(f);
  }

  /** The newest snapshot that reads back whole, or null. */
  public Snapshot loadNewest() {
    for (String name : names()) {
      Snapshot s = read(disk.readAll(name));
      if (s != null) return s;
    }
    return null;
  }

  private static Snapshot read(byte[] b) {
    if (b.length < 8) return null;
    Adler32 a = new Adler32();
    a.update(b, 0, b.length - 8);
    long stored = java.nio.ByteBuffer.wrap(b, b.length - 8, 8).getLong();
    if (stored != a.getValue()) return null;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, 0, b.length - 8))) {
      long zxid = in.readLong();
      TreeMap<Long, Integer> sessions = new TreeMap<>();
      int ns = in.readInt();
      for (int i = 0; i < ns; i++) sessions.put(in.readLong(), in.readInt());
      int nn = in.readInt();
      List<DataTree.SnapshotNode> nodes = new ArrayList<>();
      for (int i = 0; i < nn; i++) nodes.add(new DataTree.SnapshotNode(in.readUTF(), in.readUTF(), TxnCodec.readStat(in)));
      return new Snapshot(zxid, DataTree.fromSnapshot(nodes, zxid), sessions);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Snapshot names, newest first. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (String f : disk.list(TxnLog.DIR + "snapshot.")) if (!f.endsWith(".tmp")) names.add(f);
    names.sort((x, y) -> Long.compareUnsigned(TxnLog.zxidOf(y), TxnLog.zxidOf(x)));
    return names;
  }

  /**
   * {@code PurgeTxnLog} with {@code snapRetainCount}: keeps the newest {@code retain} snapshots and the log
   * files still needed to replay after the oldest of them; deletes the rest.
   */
  public void purge(int retain, TxnLog log) {
    List<String> names = names();
    if (names.size() <= retain) return;
    for (String old : names.subList(retain, names.size())) disk.delete(old);
    long oldestKept = TxnLog.zxidOf(names.get(retain - 1));
    List<String> logs = log.logFiles();
    for (int i = 0; i + 1 < logs.size(); i++) {
      // a log file is needed if it may hold txns after the oldest kept snapshot: only the next file's start tells
      if (Long.compareUnsigned(TxnLog.zxidOf(logs.get(i + 1)), oldestKept) <= 0) disk.delete(logs.get(i));
    }
  }

  /** After a TRUNC: snapshots that include txns past the truncation point go too. */
  public void deleteAfter(long zxid) {
    for (String f : names()) if (Long.compareUnsigned(TxnLog.zxidOf(f), zxid) > 0) disk.delete(f);
  }

}
