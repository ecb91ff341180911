package sim.postgres.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.sql.Ast.RowLockMode;

/**
 * MultiXactIds: when several transactions hold a row (two FOR SHARE lockers, or a KEY SHARE locker and an
 * updater), xmax holds a MultiXactId naming them all, with HEAP_XMAX_IS_MULTI set. Also reads and writes a
 * tuple's xmax as a list of members.
 */
public final class MultiXacts {
  private final Map<Integer, List<Member>> multis = new TreeMap<>();
  private int nextMulti = 1;

  public List<Member> members(int multi) {
    return multis.getOrDefault(multi, List.of());
  }

  public Map<Integer, List<Member>> all() {
    return multis;
  }

  /** The holders of a tuple's xmax; empty when xmax is invalid. */
  public List<Member> members(HeapTuple t) {
    if (t.xmax == 0 || t.has(Infomask.HEAP_XMAX_INVALID)) return List.of();
    if (t.has(Infomask.HEAP_XMAX_IS_MULTI)) return members(t.xmax);
    return List.of(single(t));
  }

  private static Member single(HeapTuple t) {
    boolean keysUpdated = t.has2(Infomask.HEAP_KEYS_UPDATED);
    if (!t.has(Infomask.HEAP_XMAX_LOCK_ONLY)) {
      return new Member(t.xmax, keysUpdated ? RowLockMode.UPDATE : RowLockMode.NO_KEY_UPDATE, true);
    }
    RowLockMode mode;
    if (t.has(Infomask.HEAP_XMAX_SHR_LOCK)) mode = RowLockMode.SHARE;
    else if (t.has(Infomask.HEAP_XMAX_KEYSHR_LOCK)) mode = RowLockMode.KEY_SHARE;
    else mode = keysUpdated ? RowLockMode.UPDATE : RowLockMode.NO_KEY_UPDATE;
    return new Member(t.xmax, mode, false);
  }

  /** The xid that updated or deleted the tuple (HeapTupleHeaderGetUpdateXid), or 0 if only locked. */
  public int updateXid(HeapTuple t) {
    for (Member m : members(t)) if (m.update()) return m.xid();
    return 0;
  }

  /** Sets xmax to exactly these members: none, one xid with its lock bits, or a new MultiXactId. */
  public void setXmax(HeapTuple t, List<Member> members) {
    t.clear(Infomask.XMAX_BITS);
    t.infomask2 &= ~Infomask.HEAP_KEYS_UPDATED;
    if (members.isEmpty()) {
      t.xmax = 0;
      t.set(Infomask.HEAP_XMAX_INVALID);
      return;
    }
    boolean anyUpdate = members.stream().anyMatch(Member::update);
    boolean keys = members.stream().anyMatch(m -> m.mode() == RowLockMode.UPDATE);
    if (keys) t.infomask2 |= Infomask.HEAP_KEYS_UPDATED;
    if (members.size() == 1) {
      Member m = members.get(0);
      t.xmax = m.xid();
      if (!m.update()) {
        t.set(Infomask.HEAP_XMAX_LOCK_ONLY);
        t.set(switch (m.mode()) {
          case KEY_SHARE -> Infomask.HEAP_XMAX_KEYSHR_LOCK;
          case SHARE -> Infomask.HEAP_XMAX_SHR_LOCK;
          default -> Infomask.HEAP_XMAX_EXCL_LOCK;
        });
      }
      return;
    }
    int id = nextMulti++;
    multis.put(id, List.copyOf(members));
    t.xmax = id;
    t.set(Infomask.HEAP_XMAX_IS_MULTI);
    if (!anyUpdate) t.set(Infomask.HEAP_XMAX_LOCK_ONLY);
    RowLockMode strongest = members.stream().filter(m -> !m.update()).map(Member::mode)
        .max(Enum::compareTo).orElse(RowLockMode.KEY_SHARE);
    t.set(strongest == RowLockMode.KEY_SHARE ? Infomask.HEAP_XMAX_KEYSHR_LOCK
        : strongest == RowLockMode.SHARE ? Infomask.HEAP_XMAX_SHR_LOCK : Infomask.HEAP_XMAX_EXCL_LOCK);
  }

  /** Re-creates a MultiXactId read back from pg_multixact or WAL. */
  public void restore(int id, List<Member> members) {
    multis.put(id, List.copyOf(members));
    if (id >= nextMulti) nextMulti = id + 1;
  }

  public static List<Member> with(List<Member> members, Member added) {
    List<Member> out = new ArrayList<>(members);
    out.add(added);
    return out;
  }
}
