package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RedisObject;

/**
 * The set family (t_set.c, 7.0): SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS SPOP SRANDMEMBER SMOVE SINTER
 * SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN. SPOP with a count propagates SREMs (or a
 * DEL), as Redis does.
 */
final class SetCommands {
  private SetCommands() {}

  private static RSet read(Call c, int i, Runnable ifMissing) {
    RedisObject o = c.lookup(c.arg(i));
    if (o == null) {
      if (ifMissing != null) ifMissing.run();
      return null;
    }
    if (c.wrongType(o, RSet.class)) return null;
    return (RSet) o;
  }

  static void sadd(Call c) {
    RedisObject o = c.lookupWrite(c.arg(1));
    if (c.wrongType(o, RSet.class)) return;
    RSet s = (RSet) o;
    if (s == null) {
      s = RSet.forFirst(c.arg(2));
      c.add(c.arg(1), s);
    }
    long added = 0;
    for (int j = 2; j < c.argc(); j++) if (s.add(c.arg(j), c.limits())) added++;
    if (added > 0) c.modified(c.arg(1));
    c.dirty(added);
    c.out.integer(added);
  }

  static void srem(Call c) {
    KeyCommands.removeMembers(c, RSet.class, RSet::remove, RSet::size);
  }

  static void sismember(Call c) {
    RSet s = read(c, 1, () -> c.out.integer(0));
    if (s != null) c.out.integer(s.contains(c.arg(2)) ? 1 : 0);
  }

  static void smismember(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RSet.class)) return;
    c.out.arrayHeader(c.argc() - 2);
    for (int j = 2; j < c.argc(); j++) c.out.integer(o != null && ((RSet) o).contains(c.arg(j)) ? 1 : 0);
  }

  static void scard(Call c) {
    RSet s = read(c, 1, () -> c.out.integer(0));
    if (s != null) c.out.integer(s.size());
  }

  static void smembers(Call c) {
    RSet s = read(c, 1, () -> c.out.arrayHeader(0));
    if (s == null) return;
    List<String> m = s.members();
    c.out.arrayHeader(m.size());
    for (String e : m) c.out.bulk(e);
  }

  static void smove(Call c) {
    RedisObject src = c.lookupWrite(c.arg(1));
    RedisObject dst = c.lookupWrite(c.arg(2));
    String ele = c.arg(3);
    if (src == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(src, RSet.class) || c.wrongType(dst, RSet.class)) return;
    RSet s = (RSet) src;
    if (src == dst) {
      c.out.integer(s.contains(ele) ? 1 : 0);
      return;
    }
    if (!s.remove(ele)) {
      c.out.integer(0);
      return;
    }
    if (s.size() == 0) c.delete(c.arg(1));
    RSet d = (RSet) dst;
    if (d == null) {
      d = RSet.forFirst(ele);
      c.add(c.arg(2), d);
    }
    c.modified(c.arg(1));
    c.dirty(1);
    if (d.add(ele, c.limits())) {
      c.dirty(1);
      c.modified(c.arg(2));
    }
    c.out.integer(1);
  }

  private static String random(Call c, RSet s) {
    return s.random(() -> c.host.randomLong());
  }

  static void spop(Call c) {
    if (c.argc() == 3) {
      spopWithCount(c);
      return;
    } else if (c.argc() > 3) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.nullBulk();
      return;
    }
    if (c.wrongType(o, RSet.class)) return;
    RSet s = (RSet) o;
    String ele = random(c, s);
    s.remove(ele);
    c.propagateAs("SREM", c.arg(1), ele);
    c.out.bulk(ele);
    if (s.size() == 0) c.delete(c.arg(1));
    c.modified(c.arg(1));
    c.dirty(1);
  }

  private static void spopWithCount(Call c) {
    Long n = c.positiveLong(2);
    if (n == null) return;
    long count = n;
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.arrayHeader(0);
      return;
    }
    if (c.wrongType(o, RSet.class)) return;
    RSet s = (RSet) o;
    if (count == 0) {
      c.out.arrayHeader(0);
      return;
    }
    long size = s.size();
    c.dirty(Math.min(count, size));
    if (count >= size) {
      List<String> all = s.members();
      c.out.arrayHeader(all.size());
      for (String e : all) c.out.bulk(e);
      c.delete(c.arg(1));
      c.propagateAs("DEL", c.arg(1));
      c.modified(c.arg(1));
      return;
    }
    c.out.arrayHeader((int) count);
    for (long i = 0; i < count; i++) {
      String ele = random(c, s);
      s.remove(ele);
      c.out.bulk(ele);
      c.alsoPropagate(c.client.db(), List.of("SREM", c.arg(1), ele));
    }
    c.noPropagation();
    c.modified(c.arg(1));
  }

  static void srandmember(Call c) {
    if (c.argc() == 3) {
      srandmemberWithCount(c);
      return;
    } else if (c.argc() > 3) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    RSet s = read(c, 1, () -> c.out.nullBulk());
    if (s != null) c.out.bulk(random(c, s));
  }

  private static void srandmemberWithCount(Call c) {
    Long l = c.longInRange(2, -Long.MAX_VALUE, Long.MAX_VALUE, Errors.NOT_INTEGER);
    if (l == null) return;
    boolean unique = l >= 0;
    long count = unique ? l : -l;
    RSet s = read(c, 1, () -> c.out.arrayHeader(0));
    if (s == null) return;
    long size = s.size();
    if (count == 0) {
      c.out.arrayHeader(0);
      return;
    }
    if (!unique || count == 1) {
      c.out.arrayHeader((int) count);
      for (long i = 0; i < count; i++) c.out.bulk(random(c, s));
      return;
    }
    List<String> all = s.members();
    if (count >= size) {
      c.out.arrayHeader(all.size());
      for (String e : all) c.out.bulk(e);
      return;
    }
    List<String> pool = new ArrayList<>(all);
    List<String> chosen = new ArrayList<>();
    while (chosen.size() < count) chosen.add(pool.remove((int) Long.remainderUnsigned(c.host.randomLong(), pool.size())));
    c.out.arrayHeader(chosen.size());
    for (String e : chosen) c.out.bulk(e);
  }

  // ---- algebra ---------------------------------------------------------------------------------------

  /** The sets of the keys, null for missing keys; null overall when a key is not a set (WRONGTYPE replied). */
  private static List<RSet> sets(Call c, List<String> keys) {
    List<RSet> out = new ArrayList<>();
    for (String k : keys) {
      RedisObject o = c.lookup(k);
      if (o == null) {
        out.add(null);
        continue;
      }
      if (c.wrongType(o, RSet.class)) return null;
      out.add((RSet) o);
    }
    return out;
  }

  /** sinterGenericCommand: iterate the smallest set, keep what every other has. */
  private static void interGeneric(Call c, List<String> keys, String dstKey, boolean cardOnly, long limit) {
    List<RSet> sets = sets(c, keys);
    if (sets == null) return;
    if (sets.contains(null)) {
      if (dstKey != null) {
        if (c.delete(dstKey)) {
          c.modified(dstKey);
          c.dirty(1);
        }
        c.out.integer(0);
      } else if (cardOnly) {
        c.out.integer(0);
      } else {
        c.out.arrayHeader(0);
      }
      return;
    }
    List<RSet> sorted = new ArrayList<>(sets);
    sorted.sort((a, b) -> Integer.compare(a.size(), b.size())); // List.sort is stable, like glibc's merge sort
    RSet first = sorted.get(0);
    List<String> result = new ArrayList<>();
    long card = 0;
    for (String e : first.members()) {
      boolean all = true;
      for (int j = 1; j < sorted.size() && all; j++) {
        if (sorted.get(j) == first) continue;
        all = sorted.get(j).contains(e);
      }
      if (!all) continue;
      card++;
      if (cardOnly) {
        if (limit != 0 && card >= limit) break;
        continue;
      }
      result.add(e);
    }
    if (cardOnly) {
      c.out.integer(card);
    } else if (dstKey != null) {
      store(c, dstKey, result);
    } else {
      c.out.arrayHeader(result.size());
      for (String e : result) c.out.bulk(e);
    }
  }

  private static void store(Call c, String dstKey, List<String> members) {
    RSet dst = new RSet();
    for (String e : members) dst.add(e, c.limits());
    if (dst.size() > 0) {
      c.setKey(dstKey, dst, false);
      c.out.integer(dst.size());
      c.dirty(1);
    } else {
      c.out.integer(0);
      if (c.delete(dstKey)) {
        c.dirty(1);
        c.modified(dstKey);
      }
    }
  }

  /** sunionDiffGenericCommand: the result is built as a new set (intset while it can), then replied or stored. */
  private static void unionDiff(Call c, List<String> keys, String dstKey, boolean union) {
    List<RSet> sets = sets(c, keys);
    if (sets == null) return;
    boolean sameset = false;
    for (int j = 1; j < sets.size(); j++) if (sets.get(0) != null && sets.get(j) == sets.get(0)) sameset = true;
    RSet dst = new RSet();
    if (union) {
      for (RSet s : sets) if (s != null) for (String e : s.members()) dst.add(e, c.limits());
    } else if (sets.get(0) != null && !sameset) {
      long one = 0;
      long two = 0;
      for (RSet s : sets) {
        if (s == null) continue;
        one += sets.get(0).size();
        two += s.size();
      }
      one /= 2;
      if (one <= two) {
        List<RSet> rest = new ArrayList<>(sets.subList(1, sets.size()));
        rest.sort((a, b) -> Integer.compare(b == null ? 0 : b.size(), a == null ? 0 : a.size()));
        for (String e : sets.get(0).members()) {
          boolean found = false;
          for (RSet s : rest) if (s != null && s.contains(e)) found = true;
          if (!found) dst.add(e, c.limits());
        }
      } else {
        for (int j = 0; j < sets.size(); j++) {
          RSet s = sets.get(j);
          if (s == null) continue;
          for (String e : s.members()) {
            if (j == 0) dst.add(e, c.limits());
            else dst.remove(e);
          }
          if (dst.size() == 0) break;
        }
      }
    }
    if (dstKey == null) {
      List<String> m = dst.members();
      c.out.arrayHeader(m.size());
      for (String e : m) c.out.bulk(e);
      return;
    }
    if (dst.size() > 0) {
      c.setKey(dstKey, dst, false);
      c.out.integer(dst.size());
      c.dirty(1);
    } else {
      c.out.integer(0);
      if (c.delete(dstKey)) {
        c.dirty(1);
        c.modified(dstKey);
      }
    }
  }

  static void sinter(Call c) {
    interGeneric(c, c.argv.subList(1, c.argc()), null, false, 0);
  }

  static void sinterstore(Call c) {
    interGeneric(c, c.argv.subList(2, c.argc()), c.arg(1), false, 0);
  }

  static void sintercard(Call c) {
    Long numkeys = c.longInRange(1, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
    if (numkeys == null) return;
    if (numkeys > c.argc() - 2) {
      c.out.error("ERR Number of keys can't be greater than number of args");
      return;
    }
    long limit = 0;
    for (int j = 2 + (int) (long) numkeys; j < c.argc(); j++) {
      boolean more = c.argc() - 1 - j > 0;
      if (c.isArg(j, "limit") && more) {
        Long l = c.positiveLong(++j);
        if (l == null) return;
        limit = l;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    interGeneric(c, c.argv.subList(2, 2 + (int) (long) numkeys), null, true, limit);
  }

  static void sunion(Call c) {
    unionDiff(c, c.argv.subList(1, c.argc()), null, true);
  }

  static void sunionstore(Call c) {
    unionDiff(c, c.argv.subList(2, c.argc()), c.arg(1), true);
  }

  static void sdiff(Call c) {
    unionDiff(c, c.argv.subList(1, c.argc()), null, false);
  }

  static void sdiffstore(Call c) {
    unionDiff(c, c.argv.subList(2, c.argc()), c.arg(1), false);
  }

  static void sscan(Call c) {
    KeyCommands.scanKey(c, RSet.class);
  }
}
