package sim.cassandra.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.TreeMap;
import java.util.function.Function;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.core.disk.SimDisk;

/**
 * The acceptor's promises and accepted proposals, per partition, in {@code system/paxos.log} (Cassandra
 * keeps them in the {@code system.paxos} table). A replica makes a record durable before it answers, so
 * a promise survives a crash.
 */
final class PaxosStore {
  static final String FILE = "system/paxos.log";

  private final SimDisk disk;
  private final TreeMap<String, PaxosState> states = new TreeMap<>();

  PaxosStore(SimDisk disk) {
    this.disk = disk;
  }

  static String key(String table, DecoratedKey k) {
    return table + "/" + k.key().hex();
  }

  PaxosState get(String table, DecoratedKey k) {
    return states.getOrDefault(key(table, k), PaxosState.EMPTY);
  }

  /** Records a new state (page cache); the caller fsyncs {@link #FILE} before replying. */
  void put(String table, DecoratedKey k, PaxosState s) {
    states.put(key(table, k), s);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF(key(table, k));
      out.writeUTF(table);
      out.writeLong(s.promised());
      out.writeLong(s.acceptedBallot());
      out.writeLong(s.mostRecentCommit());
      byte[] p = s.accepted() == null ? new byte[0] : PartitionCodec.encode(s.accepted());
      out.writeInt(p.length);
      out.write(p);
      byte[] c = s.committed() == null ? new byte[0] : PartitionCodec.encode(s.committed());
      out.writeInt(c.length);
      out.write(c);
      out.flush();
      byte[] body = bytes.toByteArray();
      byte[] framed = new byte[body.length + 4];
      java.nio.ByteBuffer.wrap(framed).putInt(body.length).put(body);
      disk.append(FILE, framed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reloads the last record per partition; a torn tail is ignored (its reply was never sent). */
  void load(Function<String, PartitionCodec.Schema> schemaOf) {
    if (!disk.exists(FILE)) return;
    byte[] all = disk.readAll(FILE);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(all);
    while (b.remaining() >= 4) {
      int n = b.getInt();
      if (n < 0 || n > b.remaining()) break;
      byte[] body = new byte[n];
      b.get(body);
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        String key = in.readUTF();
        String table = in.readUTF();
        long promised = in.readLong();
        long accepted = in.readLong();
        long commit = in.readLong();
        byte[] p = new byte[in.readInt()];
        in.readFully(p);
        byte[] c = new byte[in.readInt()];
        in.readFully(c);
        PartitionCodec.Schema schema = schemaOf.apply(table);
        Partition update = p.length == 0 || schema == null ? null : PartitionCodec.decode(p, schema);
        Partition committed = c.length == 0 || schema == null ? null : PartitionCodec.decode(c, schema);
        states.put(key, new PaxosState(promised, accepted, update, commit, committed));
      } catch (IOException | RuntimeException e) {
        break;
      }
    }
  }
}
