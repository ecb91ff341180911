package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/** ZADD ZREM ZSCORE ZCARD ZRANK ZRANGE (t_zset.c, 7.0). */
final class ZSetCommands {
  private ZSetCommands() {}

  /** zaddGenericCommand: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]. */
  static void zadd(Call c) {
    boolean nx = false;
    boolean xx = false;
    boolean ch = false;
    boolean incr = false;
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
      Double d = Numbers.parseDouble(c.arg(idx + j * 2));
      if (d == null) {
        c.out.error(Errors.NOT_FLOAT);
        return;
      }
      scores[j] = d;
    }
    String key = c.arg(1);
    RedisObject obj = c.lookup(key);
    if (c.wrongType(obj, RZSet.class)) return;
    RZSet z = (RZSet) obj;
    long added = 0;
    long updated = 0;
    long processed = 0;
    double newScore = 0;
    if (z == null && !xx) {
      z = new RZSet();
      c.db().put(key, z);
    }
    for (int j = 0; z != null && j < elements; j++) {
      String member = c.arg(idx + j * 2 + 1);
      double score = scores[j];
      Double cur = z.score(member);
      if (cur != null) {
        if (nx) continue;
        if (incr) {
          score += cur;
          if (Double.isNaN(score)) {
            c.out.error("ERR resulting score is not a number (NaN)");
            return;
          }
        }
        if ((lt && score >= cur) || (gt && score <= cur)) continue;
        newScore = score;
        processed++;
        if (score != cur) {
          z.put(member, score);
          updated++;
        }
      } else {
        if (xx) continue;
        z.put(member, score);
        newScore = score;
        added++;
        processed++;
      }
    }
    c.dirty(added + updated);
    if (incr) {
      if (processed > 0) c.out.bulk(Numbers.formatDouble(newScore));
      else c.out.nullBulk();
    } else {
      c.out.integer(ch ? added + updated : added);
    }
  }

  static void zrem(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RZSet.class)) return;
    if (o == null) {
      c.out.integer(0);
      return;
    }
    RZSet z = (RZSet) o;
    long deleted = 0;
    for (int i = 2; i < c.argc(); i++) {
      if (z.remove(c.arg(i))) deleted++;
      if (z.size() == 0) {
        c.db().delete(key);
        break;
      }
    }
    c.dirty(deleted);
    c.out.integer(deleted);
  }

  static void zscore(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RZSet.class)) return;
    Double s = o == null ? null : ((RZSet) o).score(c.arg(2));
    c.out.bulk(s == null ? null : Numbers.formatDouble(s));
  }

  static void zcard(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RZSet.class)) return;
    c.out.integer(o == null ? 0 : ((RZSet) o).size());
  }

  static void zrank(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RZSet.class)) return;
    long r = o == null ? -1 : ((RZSet) o).rank(c.arg(2));
    if (r < 0) c.out.nullBulk();
    else c.out.integer(r);
  }

  /** ZRANGE key start stop [REV] [WITHSCORES]; BYSCORE/BYLEX/LIMIT are parsed but only by rank is served. */
  static void zrange(Call c) {
    boolean withScores = false;
    boolean rev = false;
    boolean limit = false;
    boolean byScore = false;
    boolean byLex = false;
    for (int j = 4; j < c.argc(); j++) {
      int left = c.argc() - j - 1;
      if (c.isArg(j, "withscores")) withScores = true;
      else if (c.isArg(j, "limit") && left >= 2) {
        if (c.longArg(j + 1) == null || c.longArg(j + 2) == null) return;
        limit = true;
        j += 2;
      } else if (!rev && c.isArg(j, "rev")) rev = true;
      else if (!byScore && !byLex && c.isArg(j, "bylex")) byLex = true;
      else if (!byScore && !byLex && c.isArg(j, "byscore")) byScore = true;
      else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    if (limit && !byScore && !byLex) {
      c.out.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
      return;
    }
    if (withScores && byLex) {
      c.out.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
      return;
    }
    if (byScore || byLex) {
      c.out.error("ERR ZRANGE BYSCORE/BYLEX is not modelled by redis-sim (see redis-sim/README.md)");
      return;
    }
    Long start = c.longArg(2);
    if (start == null) return;
    Long end = c.longArg(3);
    if (end == null) return;
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RZSet.class)) return;
    if (o == null) {
      c.out.arrayHeader(0);
      return;
    }
    RZSet z = (RZSet) o;
    long[] r = ListCommands.clampRange(start, end, z.size());
    if (r == null) {
      c.out.arrayHeader(0);
      return;
    }
    List<RZSet.Entry> entries = rev ? z.reverseRange(r[0], r[1]) : z.range(r[0], r[1]);
    c.out.arrayHeader(entries.size() * (withScores ? 2 : 1));
    for (RZSet.Entry e : entries) {
      c.out.bulk(e.member());
      if (withScores) c.out.bulk(Numbers.formatDouble(e.score()));
    }
  }
}
