package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.RespOut;

/**
 * The list family (t_list.c, 7.0): LPUSH RPUSH LPUSHX RPUSHX LINSERT LLEN LINDEX LSET LRANGE LTRIM LREM LPOS
 * and, in {@link ListPops}, the pops and moves.
 */
final class ListCommands {
  private ListCommands() {}

  static final boolean HEAD = true;

  static void push(RList l, String v, boolean head) {
    if (head) l.pushHead(v);
    else l.pushTail(v);
  }

  static String pop(RList l, boolean head) {
    return head ? l.popHead() : l.popTail();
  }

  private static void pushGeneric(Call c, boolean head, boolean xx) {
    String key = c.arg(1);
    RedisObject o = c.lookupWrite(key);
    if (c.wrongType(o, RList.class)) return;
    RList l = (RList) o;
    if (l == null) {
      if (xx) {
        c.out.integer(0);
        return;
      }
      l = new RList();
      c.add(key, l);
    }
    for (int j = 2; j < c.argc(); j++) {
      push(l, c.arg(j), head);
      c.dirty(1);
    }
    c.out.integer(l.size());
    c.modified(key);
  }

  static void lpush(Call c) {
    pushGeneric(c, HEAD, false);
  }

  static void rpush(Call c) {
    pushGeneric(c, !HEAD, false);
  }

  static void lpushx(Call c) {
    pushGeneric(c, HEAD, true);
  }

  static void rpushx(Call c) {
    pushGeneric(c, !HEAD, true);
  }

  static void linsert(Call c) {
    boolean after;
    if (c.isArg(2, "after")) after = true;
    else if (c.isArg(2, "before")) after = false;
    else {
      c.out.error(Errors.SYNTAX);
      return;
    }
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    RList l = (RList) o;
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).equals(c.arg(3))) {
        l.insert(after ? i + 1 : i, c.arg(4));
        c.modified(c.arg(1));
        c.dirty(1);
        c.out.integer(l.size());
        return;
      }
    }
    c.out.integer(-1);
  }

  static void llen(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    c.out.integer(((RList) o).size());
  }

  static void lindex(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.nullBulk();
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    Long index = c.longArg(2);
    if (index == null) return;
    RList l = (RList) o;
    long i = index < 0 ? l.size() + index : index;
    c.out.bulk(i < 0 || i >= l.size() ? null : l.get((int) i));
  }

  static void lset(Call c) {
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.error("ERR no such key");
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    Long index = c.longArg(2);
    if (index == null) return;
    RList l = (RList) o;
    long i = index < 0 ? l.size() + index : index;
    if (i < 0 || i >= l.size()) {
      c.out.error("ERR index out of range");
      return;
    }
    l.set((int) i, c.arg(3));
    c.out.ok();
    c.modified(c.arg(1));
    c.dirty(1);
  }

  /** The optional COUNT after LMPOP/BLMPOP/ZMPOP/BZMPOP's direction (lmpopGenericCommand, zmpopGenericCommand): 1 by default; null when an error was replied. */
  static Long mpopCount(Call c, int from) {
    long count = -1;
    for (int j = from; j < c.argc(); j++) {
      boolean more = c.argc() - 1 - j > 0;
      if (count == -1 && c.isArg(j, "count") && more) {
        Long n = c.longInRange(++j, 1, Long.MAX_VALUE, "ERR count should be greater than 0");
        if (n == null) return null;
        count = n;
      } else {
        c.out.error(Errors.SYNTAX);
        return null;
      }
    }
    return count == -1 ? 1 : count;
  }

  /** addListRangeReply. */
  private static void rangeReply(RespOut out, RList l, long start, long end, boolean reverse) {
    RankRange r = RankRange.of(start, end, l.size());
    if (r == null) {
      out.arrayHeader(0);
      return;
    }
    int n = (int) r.count();
    out.arrayHeader(n);
    for (int k = 0; k < n; k++) out.bulk(l.get(reverse ? (int) r.end() - k : (int) r.start() + k));
  }

  static void lrange(Call c) {
    Long start = c.longArg(2);
    if (start == null) return;
    Long end = c.longArg(3);
    if (end == null) return;
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.arrayHeader(0);
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    rangeReply(c.out, (RList) o, start, end, false);
  }

  static void ltrim(Call c) {
    Long s = c.longArg(2);
    if (s == null) return;
    Long e = c.longArg(3);
    if (e == null) return;
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.ok();
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    RList l = (RList) o;
    long llen = l.size();
    RankRange r = RankRange.of(s, e, llen);
    long ltrim = r == null ? llen : r.start();
    long rtrim = r == null ? 0 : llen - r.end() - 1;
    l.trim((int) ltrim, (int) (llen - rtrim - 1));
    if (l.size() == 0) c.delete(c.arg(1));
    c.modified(c.arg(1));
    c.dirty(ltrim + rtrim);
    c.out.ok();
  }

  static void lpos(Call c) {
    String ele = c.arg(2);
    long rank = 1;
    long count = -1;
    long maxlen = 0;
    for (int j = 3; j < c.argc(); j++) {
      boolean more = c.argc() - 1 - j > 0;
      if (c.isArg(j, "rank") && more) {
        Long r = c.longArg(++j);
        if (r == null) return;
        if (r == 0) {
          c.out.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
              + "negative to start from the end of the list");
          return;
        }
        rank = r;
      } else if (c.isArg(j, "count") && more) {
        Long n = c.longInRange(++j, 0, Long.MAX_VALUE, "ERR COUNT can't be negative");
        if (n == null) return;
        count = n;
      } else if (c.isArg(j, "maxlen") && more) {
        Long n = c.longInRange(++j, 0, Long.MAX_VALUE, "ERR MAXLEN can't be negative");
        if (n == null) return;
        maxlen = n;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    boolean forward = true;
    if (rank < 0) {
      rank = -rank;
      forward = false;
    }
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      if (count != -1) c.out.arrayHeader(0);
      else c.out.nullBulk();
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    RList l = (RList) o;
    int llen = l.size();
    RespOut found = new RespOut();
    int n = 0;
    long matches = 0;
    long matchIndex = -1;
    for (int index = 0; index < llen && (maxlen == 0 || index < maxlen); index++) {
      int i = forward ? index : llen - index - 1;
      matchIndex = -1;
      if (!l.get(i).equals(ele)) continue;
      matches++;
      matchIndex = i;
      if (matches >= rank) {
        if (count != -1) {
          n++;
          found.integer(i);
          if (count != 0 && matches - rank + 1 >= count) break;
        } else {
          break;
        }
      }
    }
    if (count != -1) {
      c.out.arrayHeader(n);
      c.out.raw(found.array(), 0, found.length());
    } else if (matchIndex != -1 && matches >= rank) {
      c.out.integer(matchIndex);
    } else {
      c.out.nullBulk();
    }
  }

  static void lrem(Call c) {
    Long n = c.longArg(2);
    if (n == null) return;
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, RList.class)) return;
    RList l = (RList) o;
    long toremove = Math.abs(n);
    boolean fromTail = n < 0;
    long removed = 0;
    if (!fromTail) {
      for (int i = 0; i < l.size(); ) {
        if (l.get(i).equals(c.arg(3))) {
          l.removeAt(i);
          removed++;
          if (toremove != 0 && removed == toremove) break;
        } else {
          i++;
        }
      }
    } else {
      for (int i = l.size() - 1; i >= 0; i--) {
        if (l.get(i).equals(c.arg(3))) {
          l.removeAt(i);
          removed++;
          if (removed == toremove) break;
        }
      }
    }
    c.dirty(removed);
    if (removed > 0) c.modified(c.arg(1));
    if (l.size() == 0) c.delete(c.arg(1));
    c.out.integer(removed);
  }
}
