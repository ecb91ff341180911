package sim.zk.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import sim.zk.tree.Op;
import sim.zk.tree.Stat;
import sim.zk.tree.Txn;

/**
 * Binary form of transactions and stats for the txn log and snapshots. The framing (header, checksum,
 * length, end-of-record byte) follows ZooKeeper's {@code FileTxnLog}; the body is the model's own encoding,
 * not jute.
 */
public final class TxnCodec {
  private TxnCodec() {}

  public static byte[] encode(Txn t) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(t.zxid());
      out.writeLong(t.sessionId());
      out.writeInt(t.cxid());
      out.writeLong(t.timeMs());
      writeOp(out, t.op());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static Txn decode(byte[] b) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
    return new Txn(in.readLong(), in.readLong(), in.readInt(), in.readLong(), readOp(in));
  }

  static void writeOp(DataOutputStream out, Op op) throws IOException {
    if (op instanceof Op.Create c) {
      out.writeByte(1);
      out.writeUTF(c.path());
      out.writeUTF(c.data());
      out.writeBoolean(c.ephemeral());
      out.writeBoolean(c.sequential());
    } else if (op instanceof Op.Delete d) {
      out.writeByte(2);
      out.writeUTF(d.path());
      out.writeInt(d.version());
    } else if (op instanceof Op.SetData s) {
      out.writeByte(3);
      out.writeUTF(s.path());
      out.writeUTF(s.data());
      out.writeInt(s.version());
    } else if (op instanceof Op.Check c) {
      out.writeByte(4);
      out.writeUTF(c.path());
      out.writeInt(c.version());
    } else if (op instanceof Op.Multi m) {
      out.writeByte(5);
      out.writeInt(m.ops().size());
      for (Op sub : m.ops()) writeOp(out, sub);
    } else if (op instanceof Op.CreateSession cs) {
      out.writeByte(6);
      out.writeInt(cs.timeoutMs());
    } else if (op instanceof Op.CloseSession) {
      out.writeByte(7);
    } else {
      throw new IllegalArgumentException("not a txn op: " + op);
    }
  }

  static Op readOp(DataInputStream in) throws IOException {
    int tag = in.readByte();
    return switch (tag) {
      case 1 -> new Op.Create(in.readUTF(), in.readUTF(), in.readBoolean(), in.readBoolean());
      case 2 -> new Op.Delete(in.readUTF(), in.readInt());
      case 3 -> new Op.SetData(in.readUTF(), in.readUTF(), in.readInt());
      case 4 -> new Op.Check(in.readUTF(), in.readInt());
      case 5 -> {
        int n = in.readInt();
        if (n < 0 || n > 10_000) throw new IOException("bad multi size " + n);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) ops.add(readOp(in));
        yield new Op.Multi(ops);
      }
      case 6 -> new Op.CreateSession(in.readInt());
      case 7 -> new Op.CloseSession();
      default -> throw new IOException("unknown op tag " + tag);
    };
  }

  static void writeStat(DataOutputStream out, Stat s) throws IOException {
    out.writeLong(s.czxid());
    out.writeLong(s.mzxid());
    out.writeLong(s.ctime());
    out.writeLong(s.mtime());
    out.writeInt(s.version());
    out.writeInt(s.cversion());
    out.writeInt(s.aversion());
    out.writeLong(s.ephemeralOwner());
    out.writeInt(s.dataLength());
    out.writeInt(s.numChildren());
    out.writeLong(s.pzxid());
  }

  static Stat readStat(DataInputStream in) throws IOException {
    return new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readInt(),
        in.readLong(), in.readInt(), in.readInt(), in.readLong());
  }
}
