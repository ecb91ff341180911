package sim.redis.command;

import sim.redis.keyspace.RList;
import sim.redis.keyspace.RedisObject;

/** LPUSH RPUSH LPOP RPOP LRANGE LLEN (t_list.c, 7.0). */
final class ListCommands {
  private ListCommands() {}

  static void lpush(Call c) {
    push(c, true);
  }

  static void rpush(Call c) {
    push(c, false);
  }

  private static void push(Call c, boolean head) {
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RList.class)) return;
    RList list = (RList) o;
    if (list == null) {
      list = new RList();
      c.db().put(key, list);
    }
    for (int i = 2; i < c.argc(); i++) {
      if (head) list.pushHead(c.arg(i));
      else list.pushTail(c.arg(i));
    }
    c.dirty(c.argc() - 2L);
    c.out.integer(list.size());
  }

  static void lpop(Call c) {
    pop(c, true);
  }

  static void rpop(Call c) {
    pop(c, false);
  }

  /** popGenericCommand: LPOP key [count]. */
  private static void pop(Call c, boolean head) {
    if (c.argc() > 3) {
      c.out.error(Errors.arity(c.command.name()));
      return;
    }
    long count = -1;
    if (c.argc() == 3) {
      Long n = c.longArg(2, Errors.NOT_POSITIVE);
      if (n == null) return;
      if (n < 0) {
        c.out.error(Errors.NOT_POSITIVE);
        return;
      }
      count = n;
    }
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (o == null) {
      if (count >= 0) c.out.nullArray();
      else c.out.nullBulk();
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    RList list = (RList) o;
    if (count == 0) {
      c.out.arrayHeader(0);
      return;
    }
    if (count < 0) {
      c.out.bulk(head ? list.popHead() : list.popTail());
    } else {
      int n = (int) Math.min(count, list.size());
      c.out.arrayHeader(n);
      for (int i = 0; i < n; i++) c.out.bulk(head ? list.popHead() : list.popTail());
    }
    if (list.size() == 0) c.db().delete(key);
    c.dirty(1);
  }

  static void lrange(Call c) {
    Long start = c.longArg(2);
    if (start == null) return;
    Long end = c.longArg(3);
    if (end == null) return;
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RList.class)) return;
    if (o == null) {
      c.out.arrayHeader(0);
      return;
    }
    RList list = (RList) o;
    long[] r = clampRange(start, end, list.size());
    if (r == null) {
      c.out.arrayHeader(0);
      return;
    }
    c.out.arrayHeader((int) (r[1] - r[0] + 1));
    for (long i = r[0]; i <= r[1]; i++) c.out.bulk(list.get((int) i));
  }

  /** Redis's index normalization for LRANGE/ZRANGE: negative from the end, clamped; null when empty. */
  static long[] clampRange(long start, long end, long len) {
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (start > end || start >= len) return null;
    if (end >= len) end = len - 1;
    return new long[] {start, end};
  }

  static void llen(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RList.class)) return;
    c.out.integer(o == null ? 0 : ((RList) o).size());
  }
}
