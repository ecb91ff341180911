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

  /** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES] (zrangeGenericCommand). */
  static void zrange(Call c) {
    boolean withScores = false;
    boolean rev = false;
    boolean limit = false;
    boolean byScore = false;
    boolean byLex = false;
    long offset = 0;
    long count = -1;
    for (int j = 4; j < c.argc(); j++) {
      int left = c.argc() - j - 1;
      if (c.isArg(j, "withscores")) withScores = true;
      else if (c.isArg(j, "limit") && left >= 2) {
        Long o = c.longArg(j + 1);
        if (o == null) return;
        Long n = c.longArg(j + 2);
        if (n == null) return;
        offset = o;
        count = n;
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
    int minIdx = rev && (byScore || byLex) ? 3 : 2; // Z[REV]RANGE BYSCORE/BYLEX take max first when reversed
    int maxIdx = rev && (byScore || byLex) ? 2 : 3;
    if (byScore || byLex) {
      Bound min = byScore ? scoreBound(c.arg(minIdx)) : lexBound(c.arg(minIdx));
      Bound max = byScore ? scoreBound(c.arg(maxIdx)) : lexBound(c.arg(maxIdx));
      if (min == null || max == null) {
        c.out.error(byScore ? "ERR min or max is not a float" : "ERR min or max not valid string range item");
        return;
      }
      RedisObject o = c.lookup(c.arg(1));
      if (c.wrongType(o, RZSet.class)) return;
      List<RZSet.Entry> hits = new java.util.ArrayList<>();
      if (o != null && offset >= 0) {
        List<RZSet.Entry> all = ((RZSet) o).entries();
        if (rev) java.util.Collections.reverse(all);
        long skip = offset;
        for (RZSet.Entry e : all) {
          if (!(min.below(e, byScore) && max.above(e, byScore))) continue;
          if (skip > 0) {
            skip--;
            continue;
          }
          if (count >= 0 && hits.size() >= count) break;
          hits.add(e);
        }
      }
      reply(c, hits, withScores);
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
    reply(c, rev ? z.reverseRange(r[0], r[1]) : z.range(r[0], r[1]), withScores);
  }

  private static void reply(Call c, List<RZSet.Entry> entries, boolean withScores) {
    c.out.arrayHeader(entries.size() * (withScores ? 2 : 1));
    for (RZSet.Entry e : entries) {
      c.out.bulk(e.member());
      if (withScores) c.out.bulk(Numbers.formatDouble(e.score()));
    }
  }

  /** One end of a BYSCORE or BYLEX range: a score or member, exclusive or not, or an infinite end. */
  private record Bound(double score, String member, boolean exclusive, int infinity) {
    /** This bound, used as a minimum, admits e. */
    boolean below(RZSet.Entry e, boolean byScore) {
      if (infinity != 0) return infinity < 0;
      int cmp = byScore ? Double.compare(e.score(), score) : e.member().compareTo(member);
      if (byScore && e.score() == score) cmp = 0;
      return exclusive ? cmp > 0 : cmp >= 0;
    }

    /** This bound, used as a maximum, admits e. */
    boolean above(RZSet.Entry e, boolean byScore) {
      if (infinity != 0) return infinity > 0;
      int cmp = byScore ? Double.compare(e.score(), score) : e.member().compareTo(member);
      if (byScore && e.score() == score) cmp = 0;
      return exclusive ? cmp < 0 : cmp <= 0;
    }
  }

  /** zslParseRange: "(" for exclusive, then a strtod float ("inf" included). */
  private static Bound scoreBound(String s) {
    boolean ex = s.startsWith("(");
    Double d = Numbers.parseDoubleLoose(ex ? s.substring(1) : s);
    if (d == null) return null;
    return new Bound(d, null, ex, 0);
  }

  /** zslParseLexRangeItem: "+" / "-" or "[" / "(" followed by the member. */
  private static Bound lexBound(String s) {
    if (s.equals("+")) return new Bound(0, null, false, 1);
    if (s.equals("-")) return new Bound(0, null, false, -1);
    if (s.startsWith("(")) return new Bound(0, s.substring(1), true, 0);
    if (s.startsWith("[")) return new Bound(0, s.substring(1), false, 0);
    return null;
  }
}
