package sim.postgres.wal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.sql.Ast.RowLockMode;

/**
 * WAL records (rmgr Heap, Transaction, XLOG). Heap records carry the header the changed tuple ends up with
 * and, for the first change to a page after a checkpoint, a full-page image taken after the change.
 */
public sealed interface WalRecord {
  /** The xmax-side header of an existing tuple after a delete, lock or update (plus MultiXact members). */
  record Header(int xmax, int infomask, int infomask2, int cid, Tid ctid, List<Member> multiMembers) {}

  record FullPage(int block, byte[] image) {
    @Override
    public String toString() {
      return "FPI(block " + block + ", " + image.length + "B)";
    }
  }

  /** {@code initPage}: the first tuple on a fresh page; redo starts from an empty page (XLOG_HEAP_INIT_PAGE). */
  record Insert(int xid, int relOid, Tid tid, byte[] tuple, FullPage fpi, boolean initPage) implements WalRecord {
    @Override
    public String toString() {
      return "Heap INSERT" + (initPage ? "+INIT" : "") + " xid " + xid + " rel " + relOid + " tid " + tid + (fpi != null ? " +" + fpi : "");
    }
  }

  record Update(int xid, int relOid, Tid oldTid, Header oldHeader, Tid newTid, byte[] newTuple, boolean hot,
      FullPage oldFpi, FullPage newFpi) implements WalRecord {
    @Override
    public String toString() {
      return "Heap " + (hot ? "HOT_UPDATE" : "UPDATE") + " xid " + xid + " rel " + relOid + " " + oldTid + " -> " + newTid
          + (oldFpi != null ? " +" + oldFpi : "") + (newFpi != null && newFpi != oldFpi ? " +" + newFpi : "");
    }
  }

  record Delete(int xid, int relOid, Tid tid, Header header, FullPage fpi) implements WalRecord {
    @Override
    public String toString() {
      return "Heap DELETE xid " + xid + " rel " + relOid + " tid " + tid + (fpi != null ? " +" + fpi : "");
    }
  }

  record Lock(int xid, int relOid, Tid tid, Header header, FullPage fpi) implements WalRecord {
    @Override
    public String toString() {
      return "Heap LOCK xid " + xid + " rel " + relOid + " tid " + tid + (fpi != null ? " +" + fpi : "");
    }
  }

  /** VACUUM's page-level work (Heap2 PRUNE / VACUUM / FREEZE_PAGE), logged as the page after it. */
  record Vacuum(int relOid, FullPage page) implements WalRecord {
    @Override
    public String toString() {
      return "Heap2 VACUUM rel " + relOid + " block " + page.block();
    }
  }

  record Commit(int xid) implements WalRecord {
    @Override
    public String toString() {
      return "Transaction COMMIT xid " + xid;
    }
  }

  record Abort(int xid) implements WalRecord {
    @Override
    public String toString() {
      return "Transaction ABORT xid " + xid;
    }
  }

  record Checkpoint(long redoLsn, int nextXid) implements WalRecord {
    @Override
    public String toString() {
      return "XLOG CHECKPOINT_ONLINE redo " + Wal.formatLsn(redoLsn) + " nextXid " + nextXid;
    }
  }

  static byte[] encode(WalRecord r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (r instanceof Insert i) {
        out.writeByte(1);
        out.writeInt(i.xid());
        out.writeInt(i.relOid());
        tid(out, i.tid());
        blob(out, i.tuple());
        fpi(out, i.fpi());
        out.writeBoolean(i.initPage());
      } else if (r instanceof Update u) {
        out.writeByte(2);
        out.writeInt(u.xid());
        out.writeInt(u.relOid());
        tid(out, u.oldTid());
        header(out, u.oldHeader());
        tid(out, u.newTid());
        blob(out, u.newTuple());
        out.writeBoolean(u.hot());
        fpi(out, u.oldFpi());
        fpi(out, u.newFpi());
      } else if (r instanceof Delete d) {
        out.writeByte(3);
        out.writeInt(d.xid());
        out.writeInt(d.relOid());
        tid(out, d.tid());
        header(out, d.header());
        fpi(out, d.fpi());
      } else if (r instanceof Lock l) {
        out.writeByte(4);
        out.writeInt(l.xid());
        out.writeInt(l.relOid());
        tid(out, l.tid());
        header(out, l.header());
        fpi(out, l.fpi());
      } else if (r instanceof Commit c) {
        out.writeByte(5);
        out.writeInt(c.xid());
      } else if (r instanceof Abort a) {
        out.writeByte(6);
        out.writeInt(a.xid());
      } else if (r instanceof Checkpoint c) {
        out.writeByte(7);
        out.writeLong(c.redoLsn());
        out.writeInt(c.nextXid());
      } else if (r instanceof Vacuum v) {
        out.writeByte(8);
        out.writeInt(v.relOid());
        fpi(out, v.page());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static WalRecord decode(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    int type = in.readByte();
    return switch (type) {
      case 1 -> new Insert(in.readInt(), in.readInt(), tid(in), blob(in), fpi(in), in.readBoolean());
      case 2 -> new Update(in.readInt(), in.readInt(), tid(in), header(in), tid(in), blob(in), in.readBoolean(), fpi(in), fpi(in));
      case 3 -> new Delete(in.readInt(), in.readInt(), tid(in), header(in), fpi(in));
      case 4 -> new Lock(in.readInt(), in.readInt(), tid(in), header(in), fpi(in));
      case 5 -> new Commit(in.readInt());
      case 6 -> new Abort(in.readInt());
      case 7 -> new Checkpoint(in.readLong(), in.readInt());
      case 8 -> new Vacuum(in.readInt(), fpi(in));
      default -> throw new IOException("unknown WAL record type " + type);
    };
  }

  private static void tid(DataOutputStream out, Tid t) throws IOException {
    out.writeInt(t.block());
    out.writeShort(t.offset());
  }

  private static Tid tid(DataInputStream in) throws IOException {
    return new Tid(in.readInt(), in.readUnsignedShort());
  }

  private static void blob(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] blob(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  private static void fpi(DataOutputStream out, FullPage f) throws IOException {
    out.writeBoolean(f != null);
    if (f == null) return;
    out.writeInt(f.block());
    blob(out, f.image());
  }

  private static FullPage fpi(DataInputStream in) throws IOException {
    if (!in.readBoolean()) return null;
    return new FullPage(in.readInt(), blob(in));
  }

  private static void header(DataOutputStream out, Header h) throws IOException {
    out.writeInt(h.xmax());
    out.writeInt(h.infomask());
    out.writeInt(h.infomask2());
    out.writeInt(h.cid());
    tid(out, h.ctid());
    out.writeShort(h.multiMembers().size());
    for (Member m : h.multiMembers()) {
      out.writeInt(m.xid());
      out.writeByte(m.mode().ordinal());
      out.writeBoolean(m.update());
    }
  }

  private static Header header(DataInputStream in) throws IOException {
    int xmax = in.readInt();
    int im = in.readInt();
    int im2 = in.readInt();
    int cid = in.readInt();
    Tid ctid = tid(in);
    int n = in.readUnsignedShort();
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < n; i++) members.add(new Member(in.readInt(), RowLockMode.values()[in.readByte()], in.readBoolean()));
    return new Header(xmax, im, im2, cid, ctid, members);
  }
}
