package sim.zk.storage;

import java.io.ByteArrayInputStream;
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
    return encode(t, 0, 0);
  }

  /**
   * The txn's bytes (as {@link DataOutputStream} writes them) in a new array with {@code before} free bytes
   * ahead and {@code after} behind, so the txn log frames a record without copying it. Written out by hand:
   * every proposal is encoded once per server.
   */
  public static byte[] encode(Txn t, int before, int after) {
    int body = 28 + opLength(t.op());
    byte[] b = new byte[before + body + after];
    int at = putLong(b, before, t.zxid());
    at = putLong(b, at, t.sessionId());
    at = putInt(b, at, t.cxid());
    at = putLong(b, at, t.timeMs());
    putOp(b, at, t.op());
    return b;
  }

  private static int opLength(Op op) {
    if (op instanceof Op.Create c) return 1 + utfLength(c.path()) + utfLength(c.data()) + 2;
    if (op instanceof Op.Delete d) return 1 + utfLength(d.path()) + 4;
    if (op instanceof Op.SetData s) return 1 + utfLength(s.path()) + utfLength(s.data()) + 4;
    if (op instanceof Op.Check c) return 1 + utfLength(c.path()) + 4;
    if (op instanceof Op.Multi m) {
      int n = 1 + 4;
      for (Op sub : m.ops()) n += opLength(sub);
      return n;
    }
    if (op instanceof Op.CreateSession) return 1 + 4;
    if (op instanceof Op.CloseSession) return 1;
    throw new IllegalArgumentException("not a txn op: " + op);
  }

  /** Tag, then the fields, as {@link DataOutputStream} would write them ({@link #readOp} reads them back). */
  private static int putOp(byte[] b, int at, Op op) {
    if (op instanceof Op.Create c) {
      b[at++] = 1;
      at = putUtf(b, putUtf(b, at, c.path()), c.data());
      b[at++] = (byte) (c.ephemeral() ? 1 : 0);
      b[at++] = (byte) (c.sequential() ? 1 : 0);
      return at;
    }
    if (op instanceof Op.Delete d) {
      b[at++] = 2;
      return putInt(b, putUtf(b, at, d.path()), d.version());
    }
    if (op instanceof Op.SetData s) {
      b[at++] = 3;
      return putInt(b, putUtf(b, putUtf(b, at, s.path()), s.data()), s.version());
    }
    if (op instanceof Op.Check c) {
      b[at++] = 4;
      return putInt(b, putUtf(b, at, c.path()), c.version());
    }
    if (op instanceof Op.Multi m) {
      b[at++] = 5;
      at = putInt(b, at, m.ops().size());
      for (Op sub : m.ops()) at = putOp(b, at, sub);
      return at;
    }
    if (op instanceof Op.CreateSession cs) {
      b[at++] = 6;
      return putInt(b, at, cs.timeoutMs());
    }
    b[at++] = 7; // CloseSession (opLength refused anything else)
    return at;
  }

  private static int putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) b[at++] = (byte) (v >>> (8 * i));
    return at;
  }

  private static int putInt(byte[] b, int at, int v) {
    for (int i = 3; i >= 0; i--) b[at++] = (byte) (v >>> (8 * i));
    return at;
  }

  /** {@link DataOutputStream#writeUTF}'s length: 2 bytes, then modified UTF-8 (NUL as two bytes, no 4-byte forms). */
  private static int utfLength(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
    }
    if (n > 65535) throw new UncheckedIOException(new java.io.UTFDataFormatException("encoded string too long: " + n + " bytes"));
    return 2 + n;
  }

  private static int putUtf(byte[] b, int at, String s) {
    int start = at;
    at += 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x0001 && c <= 0x007F) {
        b[at++] = (byte) c;
      } else if (c <= 0x07FF) {
        b[at++] = (byte) (0xC0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      } else {
        b[at++] = (byte) (0xE0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    int len = at - start - 2;
    b[start] = (byte) (len >>> 8);
    b[start + 1] = (byte) len;
    return at;
  }

  public static Txn decode(byte[] b) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
    return new Txn(in.readLong(), in.readLong(), in.readInt(), in.readLong(), readOp(in));
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
