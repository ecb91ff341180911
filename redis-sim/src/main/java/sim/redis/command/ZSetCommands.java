package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/**
 * The sorted-set family (t_zset.c, 7.0), split as t_zset.c's sections are: here ZADD ZINCRBY ZREM ZCARD ZSCORE
 * ZMSCORE ZRANK ZREVRANK ZRANDMEMBER ZSCAN and the helpers the others share; ranges in {@link ZSetRanges}, pops
 * in {@link ZSetPops}, union/inter/diff in {@link ZSetAlgebra}.
 */
final class ZSetCommands {
  private ZSetCommands() {}

  static RZSet read(Call c, Runnable ifMissing) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      ifMissing.run();
      return null;
    }
    if (c.wrongType(o, RZSet.class)) return null;
    return (RZSet) o;
  }

  static void score(Call c, double d) {
    c.out.bulk(Numbers.formatDouble(d));
  }

  static void reply(Call c, List<RZSet.Entry> entries, boolean withScores) {
    c.out.arrayHeader(entries.size() * (withScores ? 2 : 1));
    for (RZSet.Entry e : entries) {
      c.out.bulk(e.member());
      if (withScores) score(c, e.score());
    }
  }

  // ---- ZADD ZINCRBY ZREM ---------------------------------------------------------------------------

  static void zadd(Call c) {
    zaddGeneric(c, false);
  }

  static void zincrby(Call c) {
    zaddGeneric(c, true);
  }

  /** zaddGenericCommand: [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]. */
  private static void zaddGeneric(Call c, boolean incrCommand) {
    boolean nx = false;
    boolean xx = false;
    boolean ch = false;
    boolean incr = incrCommand;
    boolean gt = false;
    boolean lt = false;
    int idx = 2;
    for (; idx < c.argc(); idx++) {
      String o = c.arg(idx);
      if (o.equalsIgnoreCase("nx")) nx = true;
      else if (o.equalsIgnoreCase("xx")) xx = true;
      else if (o.equalsIgnoreCase("ch")) ch = true;
      else if (o.equalsIgnoreCase("incr")) incr = true;
      else if (o.equalsIgnoreCase("gt")) gt = true;
      else if (o.equalsIgnoreCase("lt")) lt = true;
      else break;
    }
    int elements = c.argc() - idx;
    if (elements % 2 != 0 || elements == 0) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    elements /= 2;
    if (nx && xx) {
      c.out.error("ERR XX and NX options at the same time are not compatible");
      return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
      c.out.error("ERR GT, LT, and/or NX options at the same time are not compatible");
      return;
    }
    if (incr && elements > 1) {
      c.out.error("ERR INCR option supports a single increment-element pair");
      return;
    }
    double[] scores = new double[elements];
    for (int j = 0; j < elements; j++) {
      Double d = c.doubleArg(idx + j * 2);
      if (d == null) return;
      scores[j] = d;
    }
    String key = c.arg(1);
    RedisObject obj = c.lookupWrite(key);
    if (c.wrongType(obj, RZSet.class)) return;
    RZSet z = (RZSet) obj;
    long added = 0;
    long updated = 0;
    long processed = 0;
    double newScore = 0;
    if (z == null && !xx) {
      z = RZSet.create(c.arg(idx + 1), c.limits());
      c.add(key, z);
    }
    for (int j = 0; z != null && j < elements; j++) {
      String member = c.arg(idx + j * 2 + 1);
      double s = scores[j];
      Double cur = z.score(member);
      if (cur != null) {
        if (nx) continue;
        if (incr) {
          s += cur;
          if (Double.isNaN(s)) {
            c.out.error("ERR resulting score is not a number (NaN)");
            signalIfChanged(c, key, added, updated);
            return;
          }
        }
        if ((lt && s >= cur) || (gt && s <= cur)) continue;
        newScore = s;
        processed++;
        if (s != cur) {
          z.put(member, s, c.limits());
          updated++;
        }
      } else if (!xx) {
        z.put(member, s, c.limits());
        newScore = s;
        added++;
        processed++;
      }
    }
    c.dirty(added + updated);
    if (incr) {
      if (processed > 0) score(c, newScore);
      else c.out.nullBulk();
    } else {
      c.out.integer(ch ? added + updated : added);
    }
    signalIfChanged(c, key, added, updated);
  }

  private static void signalIfChanged(Call c, String key, long added, long updated) {
    if (added > 0 || updated > 0) c.modified(key);
  }

  static void zrem(Call c) {
    KeyCommands.removeMembers(c, RZSet.class, RZSet::remove, RZSet::size);
  }

  static void zcard(Call c) {
    RZSet z = read(c, () -> c.out.integer(0));
    if (z != null) c.out.integer(z.size());
  }

  static void zscore(Call c) {
    RZSet z = read(c, () -> c.out.nullBulk());
    if (z == null) return;
    Double s = z.score(c.arg(2));
    if (s == null) c.out.nullBulk();
    else score(c, s);
  }

  static void zmscore(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RZSet.class)) return;
    c.out.arrayHeader(c.argc() - 2);
    for (int j = 2; j < c.argc(); j++) {
      Double s = o == null ? null : ((RZSet) o).score(c.arg(j));
      if (s == null) c.out.nullBulk();
      else score(c, s);
    }
  }

  static void zrank(Call c) {
    rankGeneric(c, false);
  }

  static void zrevrank(Call c) {
    rankGeneric(c, true);
  }

  private static void rankGeneric(Call c, boolean reverse) {
    RZSet z = read(c, () -> c.out.nullBulk());
    if (z == null) return;
    long r = z.rank(c.arg(2));
    if (r < 0) c.out.nullBulk();
    else c.out.integer(reverse ? z.size() - 1 - r : r);
  }

  // ---- ZRANDMEMBER ZSCAN ------------------------------------------------------------------------------

  static void zrandmember(Call c) {
    if (c.argc() >= 3) {
      Long l = c.longInRange(2, -Long.MAX_VALUE, Long.MAX_VALUE, Errors.NOT_INTEGER);
      if (l == null) return;
      boolean withScores = false;
      if (c.argc() > 4 || (c.argc() == 4 && !c.isArg(3, "withscores"))) {
        c.out.error(Errors.SYNTAX);
        return;
      } else if (c.argc() == 4) {
        withScores = true;
        if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
          c.out.error("ERR value is out of range");
          return;
        }
      }
      randWithCount(c, l, withScores);
      return;
    }
    RZSet z = read(c, () -> c.out.nullBulk());
    if (z == null) return;
    c.out.bulk(z.at(randomIndex(c, z.size())).member());
  }

  private static int randomIndex(Call c, int n) {
    return (int) Long.remainderUnsigned(c.host.randomLong(), n);
  }

  private static void randWithCount(Call c, long l, boolean withScores) {
    RZSet z = read(c, () -> c.out.arrayHeader(0));
    if (z == null) return;
    boolean unique = l >= 0;
    long count = unique ? l : -l;
    if (count == 0) {
      c.out.arrayHeader(0);
      return;
    }
    List<RZSet.Entry> all = z.entries();
    List<RZSet.Entry> chosen = new ArrayList<>();
    if (!unique || count == 1) {
      for (long i = 0; i < count; i++) chosen.add(all.get(randomIndex(c, all.size())));
    } else if (count >= all.size()) {
      chosen = all;
    } else {
      List<RZSet.Entry> pool = new ArrayList<>(all);
      while (chosen.size() < count) chosen.add(pool.remove(randomIndex(c, pool.size())));
    }
    reply(c, chosen, withScores);
  }

  static void zscan(Call c) {
    KeyCommands.scanKey(c, RZSet.class);
  }
}
