package sim.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import sim.zk.storage.TxnCodec;
import sim.zk.tree.Op;
import sim.zk.tree.Txn;

/**
 * The hand-written txn encoder writes exactly the bytes {@link DataOutputStream} wrote before it (txn logs
 * on simulated disks, and so the traces' byte counts, stay the same), for any strings, NUL and surrogates
 * included, and the framing room it leaves is zeroed and untouched.
 */
class TxnCodecBytesProperties {
  @Provide
  Arbitrary<Op> ops() {
    Arbitrary<String> s = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<Integer> v = Arbitraries.integers();
    Arbitrary<Op> one = Arbitraries.oneOf(
        Combinators.combine(s, s, Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Op.Create::new),
        Combinators.combine(s, v).as(Op.Delete::new),
        Combinators.combine(s, s, v).as(Op.SetData::new),
        Combinators.combine(s, v).as(Op.Check::new),
        Arbitraries.integers().between(0, 100_000).map(Op.CreateSession::new),
        Arbitraries.just(new Op.CloseSession()));
    return Arbitraries.oneOf(one, one.list().ofMaxSize(4).map(Op.Multi::new));
  }

  @Property(tries = 500)
  void sameBytesAsDataOutputStream(@ForAll("ops") Op op, @ForAll long zxid, @ForAll long session, @ForAll int cxid, @ForAll long time) throws IOException {
    Txn t = new Txn(zxid, session, cxid, time, op);
    byte[] expected = reference(t);
    assertArrayEquals(expected, TxnCodec.encode(t));
    byte[] framed = TxnCodec.encode(t, 12, 1);
    assertEquals(expected.length + 13, framed.length);
    assertArrayEquals(expected, java.util.Arrays.copyOfRange(framed, 12, 12 + expected.length));
    assertEquals(t, TxnCodec.decode(expected));
  }

  /** The encoding as it was written with {@link DataOutputStream}. */
  private static byte[] reference(Txn t) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeLong(t.zxid());
    out.writeLong(t.sessionId());
    out.writeInt(t.cxid());
    out.writeLong(t.timeMs());
    writeOp(out, t.op());
    return bytes.toByteArray();
  }

  private static void writeOp(DataOutputStream out, Op op) throws IOException {
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
    } else {
      out.writeByte(7);
    }
  }

}
