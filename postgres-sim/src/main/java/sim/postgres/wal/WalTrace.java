package sim.postgres.wal;

import java.util.ArrayList;
import java.util.List;

/** The attributes of a {@code pg.wal.insert} trace point (what the diagram and the stepper show of a record). */
final class WalTrace {
  private WalTrace() {}

  /** The record's LSNs, type and xid, and for heap records the relation, page and ctid it changed. */
  static Object[] attributes(WalRecord r, long lsn, long endLsn) {
    List<Object> a = new ArrayList<>(List.of("lsn", Wal.formatLsn(lsn), "endLsn", Wal.formatLsn(endLsn),
        "record", r.getClass().getSimpleName(), "xid", Integer.toUnsignedLong(r.xid())));
    if (r instanceof WalRecord.Insert i) {
      a.addAll(List.of("relOid", i.relOid(), "block", i.tid().block(), "ctid", i.tid().toString(), "fpi", i.fpi() != null));
    } else if (r instanceof WalRecord.Update u) {
      a.addAll(List.of("relOid", u.relOid(), "block", u.newTid().block(), "oldCtid", u.oldTid().toString(),
          "ctid", u.newTid().toString(), "hot", u.hot(), "fpi", u.oldFpi() != null || u.newFpi() != null));
    } else if (r instanceof WalRecord.Delete d) {
      a.addAll(List.of("relOid", d.relOid(), "block", d.tid().block(), "ctid", d.tid().toString(), "fpi", d.fpi() != null));
    } else if (r instanceof WalRecord.Lock l) {
      a.addAll(List.of("relOid", l.relOid(), "block", l.tid().block(), "ctid", l.tid().toString(), "fpi", l.fpi() != null));
    } else if (r instanceof WalRecord.Vacuum v) {
      a.addAll(List.of("relOid", v.relOid(), "block", v.page().block()));
    }
    return a.toArray();
  }
}
