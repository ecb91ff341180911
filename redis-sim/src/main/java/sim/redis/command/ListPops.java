package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RedisObject;

/**
 * The list pops and moves (t_list.c, 7.0): LPOP RPOP LMPOP LMOVE RPOPLPUSH and the blocking BLPOP BRPOP BLMPOP
 * BLMOVE BRPOPLPUSH, whose served form is propagated as the non-blocking command (LPOP key [count], LMOVE,
 * RPOPLPUSH).
 */
final class ListPops {
  private ListPops() {}

  /** listElementsRemoved: an emptied list is deleted. */
  private static void removed(Call c, String key, RList l, long count) {
    if (l.size() == 0) c.delete(key);
    c.modified(key);
    c.dirty(count);
  }

  /** The reply of a counted pop and the pop itself. */
  private static long popRange(Call c, RList l, boolean head, long count) {
    int n = (int) Math.min(count, l.size());
    c.out.arrayHeader(n);
    for (int k = 0; k < n; k++) c.out.bulk(ListCommands.pop(l, head));
    return n;
  }

  static void lpop(Call c) {
    popGenericCounted(c, ListCommands.HEAD);
  }

  static void rpop(Call c) {
    popGenericCounted(c, !ListCommands.HEAD);
  }

  /** popGenericCommand with the dirty count Redis adds (the number popped). */
  private static void popGenericCounted(Call c, boolean head) {
    boolean hasCount = c.argc() == 3;
    if (c.argc() > 3) {
      c.out.error(Errors.arity(c.command.fullName()));
      return;
    }
    long count = 0;
    if (hasCount) {
      Long n = c.positiveLong(2);
      if (n == null) return;
      count = n;
    }
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      if (hasCount) c.out.nullArray();
      else c.out.nullBulk();
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    RList l = (RList) o;
    if (hasCount && count == 0) {
      c.out.arrayHeader(0);
      return;
    }
    if (count == 0) {
      c.out.bulk(ListCommands.pop(l, head));
      removed(c, c.arg(1), l, 1);
      return;
    }
    long n = popRange(c, l, head, count);
    removed(c, c.arg(1), l, n);
  }

  /** mpopGenericCommand / the non-blocking path of the blocking pops. */
  private static boolean popFirstNonEmpty(Call c, List<String> keys, boolean head, long count, boolean nested) {
    for (String key : keys) {
      RedisObject o = c.lookupWrite(key);
      if (o == null) continue;
      if (c.wrongType(o, RList.class)) return true;
      RList l = (RList) o;
      if (l.size() == 0) continue;
      if (count != -1) {
        c.out.arrayHeader(2).bulk(key);
        long n = popRange(c, l, head, count);
        removed(c, key, l, n);
        c.propagateAs(head ? "LPOP" : "RPOP", key, Long.toString(n));
        return true;
      }
      String v = ListCommands.pop(l, head);
      c.out.arrayHeader(2).bulk(key).bulk(v);
      removed(c, key, l, 1);
      c.propagateAs(head ? "LPOP" : "RPOP", key);
      return true;
    }
    return false;
  }

  private static void blockingPop(Call c, List<String> keys, boolean head, int timeoutIdx, long count) {
    Long deadline = ServerCommands.parseTimeoutMs(c, timeoutIdx, true);
    if (deadline == null) return;
    if (popFirstNonEmpty(c, keys, head, count, count != -1)) return;
    if (!c.mayBlock()) {
      c.out.nullArray();
      return;
    }
    c.block("list", keys, deadline, null);
  }

  static void blpop(Call c) {
    blockingPop(c, c.argv.subList(1, c.argc() - 1), ListCommands.HEAD, c.argc() - 1, -1);
  }

  static void brpop(Call c) {
    blockingPop(c, c.argv.subList(1, c.argc() - 1), !ListCommands.HEAD, c.argc() - 1, -1);
  }

  private static Boolean position(Call c, int i) {
    if (c.isArg(i, "right")) return !ListCommands.HEAD;
    if (c.isArg(i, "left")) return ListCommands.HEAD;
    c.out.error(Errors.SYNTAX);
    return null;
  }

  /** lmoveGenericCommand. */
  private static void lmoveGeneric(Call c, boolean from, boolean to) {
    RedisObject so = c.lookupWrite(c.arg(1));
    if (so == null) {
      c.out.nullBulk();
      return;
    }
    if (c.wrongType(so, RList.class)) return;
    RList src = (RList) so;
    RedisObject d = c.lookupWrite(c.arg(2));
    if (c.wrongType(d, RList.class)) return;
    String value = ListCommands.pop(src, from);
    RList dst = (RList) d;
    if (dst == null) {
      dst = new RList();
      c.add(c.arg(2), dst);
    }
    c.modified(c.arg(2));
    ListCommands.push(dst, value, to);
    c.out.bulk(value);
    if (src.size() == 0) c.delete(c.arg(1));
    c.modified(c.arg(1));
    c.dirty(1);
    if (c.command.name().equals("blmove")) c.propagateAs("LMOVE", c.arg(1), c.arg(2), c.arg(3), c.arg(4));
    else if (c.command.name().equals("brpoplpush")) c.propagateAs("RPOPLPUSH", c.arg(1), c.arg(2));
  }

  static void lmove(Call c) {
    Boolean from = position(c, 3);
    if (from == null) return;
    Boolean to = position(c, 4);
    if (to == null) return;
    lmoveGeneric(c, from, to);
  }

  static void rpoplpush(Call c) {
    lmoveGeneric(c, !ListCommands.HEAD, ListCommands.HEAD);
  }

  private static void blmoveGeneric(Call c, boolean from, boolean to, long deadline) {
    RedisObject o = c.lookupWrite(c.arg(1));
    if (c.wrongType(o, RList.class)) return;
    if (o == null) {
      if (!c.mayBlock()) c.out.nullBulk();
      else c.block("list", List.of(c.arg(1)), deadline, null);
      return;
    }
    lmoveGeneric(c, from, to);
  }

  static void blmove(Call c) {
    Boolean from = position(c, 3);
    if (from == null) return;
    Boolean to = position(c, 4);
    if (to == null) return;
    Long deadline = ServerCommands.parseTimeoutMs(c, 5, true);
    if (deadline == null) return;
    blmoveGeneric(c, from, to, deadline);
  }

  static void brpoplpush(Call c) {
    Long deadline = ServerCommands.parseTimeoutMs(c, 3, true);
    if (deadline == null) return;
    blmoveGeneric(c, !ListCommands.HEAD, ListCommands.HEAD, deadline);
  }

  /** lmpopGenericCommand: numkeys, keys, LEFT|RIGHT, [COUNT n]. */
  private static void lmpopGeneric(Call c, int numkeysIdx, boolean block) {
    Long numkeys = c.longInRange(numkeysIdx, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
    if (numkeys == null) return;
    long whereIdx = numkeysIdx + numkeys + 1;
    if (whereIdx >= c.argc()) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    Boolean head = position(c, (int) whereIdx);
    if (head == null) return;
    Long count = ListCommands.mpopCount(c, (int) whereIdx + 1);
    if (count == null) return;
    List<String> keys = c.argv.subList(numkeysIdx + 1, (int) whereIdx);
    if (block) {
      blockingPop(c, keys, head, 1, count);
    } else if (!popFirstNonEmpty(c, keys, head, count, true)) {
      c.out.nullArray();
    }
  }

  static void lmpop(Call c) {
    lmpopGeneric(c, 1, false);
  }

  static void blmpop(Call c) {
    lmpopGeneric(c, 2, true);
  }
}
