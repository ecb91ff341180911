package sim.postgres.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import sim.postgres.lock.Member;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Clog;
import sim.postgres.mvcc.Xids;
import sim.postgres.sql.Ast.RowLockMode;

/**
 * What a checkpoint saves of the SLRUs, {@code pg_xact} (each finished xid: committed or aborted) and
 * {@code pg_multixact} (each MultiXact's members), and what crash recovery loads back, encoder beside
 * decoder. Small text files here; PostgreSQL writes SLRU pages (2 bits an xid in pg_xact).
 */
final class SlruFiles {
  private SlruFiles() {}

  /**
   * pg_xact: every finished xid, plus the commits flushed locally that still wait for a synchronous standby
   * (already committed in PostgreSQL's pg_xact, TransactionIdCommitTree precedes SyncRepWaitForLSN).
   */
  static byte[] encodeXact(Clog clog, Map<Integer, List<Integer>> awaitingStandby) {
    StringBuilder b = new StringBuilder();
    Map<Integer, Clog.Status> xact = new TreeMap<>();
    clog.forEachFinished(xact::put);
    awaitingStandby.forEach((xid, subs) -> {
      xact.put(xid, Clog.Status.COMMITTED);
      for (int sub : subs) xact.put(sub, Clog.Status.COMMITTED);
    });
    xact.forEach((xid, st) -> b.append(Xids.format(xid)).append(st == Clog.Status.COMMITTED ? " c\n" : " a\n"));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Loads pg_xact into {@code clog}, telling {@code seen} each xid. */
  static void loadXact(byte[] file, Clog clog, IntConsumer seen) {
    for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) continue;
      String[] f = line.split(" ");
      int xid = Integer.parseUnsignedInt(f[0]);
      clog.record(xid, f[1].equals("c") ? Clog.Status.COMMITTED : Clog.Status.ABORTED);
      seen.accept(xid);
    }
  }

  static byte[] encodeMultis(MultiXacts multis) {
    StringBuilder b = new StringBuilder();
    multis.all().forEach((id, members) -> {
      b.append(id);
      for (Member m : members) b.append(' ').append(m.xid()).append(':').append(m.mode().name()).append(':').append(m.update());
      b.append('\n');
    });
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static void loadMultis(byte[] file, MultiXacts multis) {
    for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) continue;
      String[] f = line.split(" ");
      List<Member> members = new ArrayList<>();
      for (int i = 1; i < f.length; i++) {
        String[] m = f[i].split(":");
        members.add(new Member(Integer.parseInt(m[0]), RowLockMode.valueOf(m[1]), Boolean.parseBoolean(m[2])));
      }
      multis.restore(Integer.parseInt(f[0]), members);
    }
  }
}
