package sim.postgres.inspect;

import java.util.List;
import java.util.stream.Collectors;
import sim.postgres.engine.Database;
import sim.postgres.engine.Transaction;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.mvcc.Snapshot;
import sim.postgres.mvcc.Xids;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;

/** What {@code \heap}, {@code \snapshot}, {@code \locks} and {@code \wal} print in {@code ./sim step}. */
public final class Inspect {
  private Inspect() {}

  /** Pages and tuples like pageinspect's heap_page_items, with the infomask flags spelled out. */
  public static String heap(Database db, String tableName) {
    String name = tableName == null ? "" : tableName.strip();
    if (name.isEmpty() && db.tables().size() == 1) name = db.tables().keySet().iterator().next(); // the scenario's table
    if (name.isEmpty() && db.tables().isEmpty()) return "no tables yet";
    Table t = db.table(name);
    if (t == null) return "no table '" + tableName + "'; tables: " + String.join(", ", db.tables().keySet());
    StringBuilder b = new StringBuilder();
    b.append("table ").append(t.name).append(" (oid ").append(t.oid).append("), ").append(t.pages.size())
        .append(" page(s), indexes ").append(t.indexes.stream().map(Table.Index::name).collect(Collectors.joining(", ")))
        .append(", n_dead_tup ").append(t.deadTuples).append(", reltuples ").append((long) t.relTuples)
        .append(", relfrozenxid ").append(Xids.format(t.relFrozenXid)).append(" (age ")
        .append(db.clog().nextXid() - t.relFrozenXid).append(")\n");
    for (HeapPage p : t.pages) {
      b.append(String.format("block %d: pd_lsn %s, free %d bytes, all-visible %s%n", p.blockNumber,
          Wal.formatLsn(p.lsn), p.freeSpace(), p.allVisible ? "yes" : "no"));
      b.append(String.format(" %-4s %-9s %-7s %-7s %-5s %-8s %-60s %s%n", "lp", "lp_flags", "t_xmin", "t_xmax", "t_cid", "t_ctid", "infomask", "data"));
      for (int i = 0; i < p.items.size(); i++) {
        HeapPage.LinePointer lp = p.items.get(i);
        if (lp.state != HeapPage.LpState.NORMAL) {
          b.append(String.format(" %-4d %-9s%s%n", i + 1, lp.state.name().toLowerCase(java.util.Locale.ROOT),
              lp.state == HeapPage.LpState.REDIRECT ? " -> " + lp.redirectTo : ""));
          continue;
        }
        HeapTuple tup = lp.tuple;
        String xmax = Xids.format(tup.xmax) + (tup.has(Infomask.HEAP_XMAX_IS_MULTI) ? " " + db.multis().members(tup.xmax) : "");
        b.append(String.format(" %-4d %-9s %-7s %-7s %-5d %-8s %-60s %s%n", i + 1, "normal", Xids.format(tup.xmin),
            xmax, tup.rawCid(), tup.ctid, String.join("|", Infomask.names(tup.infomask, tup.infomask2)).replace("HEAP_", ""),
            data(tup)));
      }
    }
    return b.toString();
  }

  private static String data(HeapTuple t) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < t.values.length; i++) {
      Object v = t.values[i];
      String s = v == null ? "null" : v instanceof String str ? "'" + (str.length() > 12 ? str.substring(0, 12) + "..." : str) + "'" : v.toString();
      b.append(i > 0 ? ", " : "").append(s);
    }
    return b.append(')').toString();
  }

  /** A session's transaction: xid, level, snapshot (xmin:xmax:xip like pg_current_snapshot), command id. */
  public static String snapshot(Database db, String session) {
    String name = session == null ? "" : session.strip();
    Transaction tx = db.transactionOf(name);
    StringBuilder b = new StringBuilder();
    b.append("next xid ").append(Xids.format(db.clog().nextXid())).append(", oldest xmin (vacuum horizon) ")
        .append(Xids.format(db.oldestXmin())).append('\n');
    if (name.isEmpty()) {
      b.append("sessions: ").append(String.join(", ", db.sessions().keySet()));
      return b.toString();
    }
    if (tx == null) return b.append(name).append(": idle, no transaction").toString();
    Snapshot s = tx.snapshot();
    b.append(name).append(": xid ").append(tx.xid() == 0 ? "(none yet)" : Xids.format(tx.xid()))
        .append(", ").append(tx.level().sql).append(tx.failed() ? ", ABORTED (25P02 until ROLLBACK)" : "")
        .append(", command id ").append(tx.curcid()).append('\n');
    b.append("  snapshot ").append(s != null ? s.toString() : tx.level().usesTransactionSnapshot()
        ? "(not taken yet: the first statement takes the transaction's snapshot)"
        : "(none between statements: READ COMMITTED takes a new one for each statement)");
    if (s != null) b.append("  -- xids < ").append(Xids.format(s.xmin())).append(" finished, >= ")
        .append(Xids.format(s.xmax())).append(" invisible, running in between: ").append(java.util.Arrays.toString(s.xip()));
    return b.toString();
  }

  /** Row locks held through xmax, who waits for whom, and SSI's SIREAD locks and rw-conflicts. */
  public static String locks(Database db) {
    StringBuilder b = new StringBuilder("row locks (xmax of live tuples held by running transactions):\n");
    for (Table t : db.tables().values()) {
      t.forEachTuple((Tid tid, HeapTuple tup) -> {
        for (Member m : db.multis().members(tup)) {
          if (!db.clog().isInProgress(m.xid())) continue;
          String owner = db.ownerOf(m.xid());
          b.append("  ").append(t.name).append(' ').append(tid).append(": xid ").append(Xids.format(m.xid()))
              .append(owner != null ? " (" + owner + ")" : "").append(' ')
              .append(m.update() ? (m.mode().name().equals("UPDATE") ? "deleted/key-updated" : "updated") : m.mode().sql)
              .append('\n');
        }
      });
    }
    List<String> waits = db.describeWaits();
    b.append("waits:\n");
    if (waits.isEmpty()) b.append("  (none)\n");
    waits.forEach(w -> b.append("  ").append(w).append('\n'));
    String ssi = db.ssi().describe();
    b.append("SSI:\n").append(ssi.isEmpty() ? "  (none)\n" : ssi);
    return b.toString();
  }

  /** The last n WAL records with their LSNs, and where the insert and flush pointers are. */
  public static String wal(Storage storage, String arg) {
    if (storage == null) return "this instance keeps no WAL";
    int n = 10;
    if (arg != null && !arg.isBlank()) {
      try {
        n = Integer.parseInt(arg.strip());
      } catch (NumberFormatException e) {
        return "usage: \\wal [n]  (n = how many recent records, default 10)";
      }
    }
    StringBuilder b = new StringBuilder(storage.describe()).append('\n');
    List<Wal.Entry> recent = storage.wal().recent();
    for (Wal.Entry e : recent.subList(Math.max(0, recent.size() - n), recent.size())) {
      b.append("  ").append(Wal.formatLsn(e.lsn())).append(e.lsn() < storage.wal().flushedLsn() ? "  " : " *").append(' ')
          .append(e.record()).append('\n');
    }
    return b.append("  (* = not yet flushed)").toString();
  }
}
