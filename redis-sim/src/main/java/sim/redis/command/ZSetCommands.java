package sim.redis.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/**
 * The sorted-set family (t_zset.c, 7.0): ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT
 * ZRANGE (BYSCORE BYLEX REV LIMIT) ZRANGESTORE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX
 * ZREVRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP BZPOPMIN BZPOPMAX BZMPOP
 * ZUNION ZINTER ZDIFF ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZINTERCARD ZRANDMEMBER ZSCAN.
 */
final class ZSetCommands {
  private ZSetCommands() {}

  private static RZSet read(Call c, Runnable ifMissing) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      ifMissing.run();
      return null;
    }
    if (c.wrongType(o, RZSet.class)) return null;
    return (RZSet) o;
  }

  private static void score(Call c, double d) {
    c.out.bulk(Numbers.formatDouble(d));
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

  // ---- ranges ----------------------------------------------------------------------------------------

  /** A score range (zrangespec) or a lex range (zlexrangespec). */
  record Range(double min, double max, boolean minEx, boolean maxEx, String lmin, String lmax, int lminInf, int lmaxInf) {
    boolean scoreGteMin(double v) {
      return minEx ? v > min : v >= min;
    }

    boolean scoreLteMax(double v) {
      return maxEx ? v < max : v <= max;
    }

    boolean inScore(double v) {
      return scoreGteMin(v) && scoreLteMax(v);
    }

    private static int cmp(String v, String bound, int inf) {
      if (inf != 0) return -inf;
      return v.compareTo(bound);
    }

    boolean lexGteMin(String v) {
      int c = cmp(v, lmin, lminInf);
      return minEx ? c > 0 : c >= 0;
    }

    boolean lexLteMax(String v) {
      int c = cmp(v, lmax, lmaxInf);
      return maxEx ? c < 0 : c <= 0;
    }

    boolean inLex(String v) {
      return lexGteMin(v) && lexLteMax(v);
    }

    /** The first test of zslIsInLexRange: min above max, or equal with an exclusive end, is always empty. */
    boolean lexEmpty() {
      int c;
      if (lminInf == lmaxInf && lminInf != 0) c = 0;
      else if (lminInf == -1 || lmaxInf == 1) c = -1;
      else if (lminInf == 1 || lmaxInf == -1) c = 1;
      else c = lmin.compareTo(lmax);
      return c > 0 || (c == 0 && (minEx || maxEx));
    }
  }

  /** zslParseRange: "(" for exclusive, then strtod over the whole rest ("inf" included, NaN refused). */
  static Range scoreRange(String minS, String maxS) {
    boolean minEx = minS.startsWith("(");
    boolean maxEx = maxS.startsWith("(");
    Double min = Numbers.parseDoubleLoose(minEx ? minS.substring(1) : minS);
    Double max = Numbers.parseDoubleLoose(maxEx ? maxS.substring(1) : maxS);
    if (min == null || max == null || min.isNaN() || max.isNaN()) return null;
    return new Range(min, max, minEx, maxEx, null, null, 0, 0);
  }

  /** zslParseLexRange: "+", "-", or "[" / "(" followed by the member. */
  static Range lexRange(String minS, String maxS) {
    Object[] a = lexItem(minS);
    Object[] b = lexItem(maxS);
    if (a == null || b == null) return null;
    return new Range(0, 0, (Boolean) a[1], (Boolean) b[1], (String) a[0], (String) b[0], (Integer) a[2], (Integer) b[2]);
  }

  private static Object[] lexItem(String s) {
    if (s.isEmpty()) return null;
    return switch (s.charAt(0)) {
      case '+' -> s.length() == 1 ? new Object[] {null, false, 1} : null;
      case '-' -> s.length() == 1 ? new Object[] {null, false, -1} : null;
      case '(' -> new Object[] {s.substring(1), true, 0};
      case '[' -> new Object[] {s.substring(1), false, 0};
      default -> null;
    };
  }

  /** Entries of {@code z} in the range, in direction order, after {@code offset}, at most {@code limit} (-1: all). */
  private static List<RZSet.Entry> select(RZSet z, Range r, boolean lex, boolean reverse, long offset, long limit) {
    if (lex) return selectLex(z, r, reverse, offset, limit);
    List<RZSet.Entry> out = new ArrayList<>();
    if (offset < 0) return out;
    if (offset > 0 && offset >= z.size()) return out;
    List<RZSet.Entry> all = z.entries();
    int n = all.size();
    for (int k = 0; k < n; k++) {
      RZSet.Entry e = all.get(reverse ? n - 1 - k : k);
      boolean in = lex ? r.inLex(e.member()) : r.inScore(e.score());
      if (!in) {
        boolean pastEnd = reverse ? (lex ? !r.lexGteMin(e.member()) : !r.scoreGteMin(e.score()))
            : (lex ? !r.lexLteMax(e.member()) : !r.scoreLteMax(e.score()));
        if (pastEnd) break;
        continue;
      }
      if (offset > 0) {
        offset--;
        continue;
      }
      if (limit >= 0 && out.size() >= limit) break;
      out.add(e);
    }
    return out;
  }

  /**
   * genericZrangebylexCommand: from where the encoding's lex search lands, skip {@code offset} elements
   * unchecked, then take elements while they stay under max (over min, reversed).
   */
  private static List<RZSet.Entry> selectLex(RZSet z, Range r, boolean reverse, long offset, long limit) {
    List<RZSet.Entry> out = new ArrayList<>();
    if (r.lexEmpty() || offset < 0) return out;
    long at = reverse ? z.lastInLexRange(r::lexGteMin, r::lexLteMax) : z.firstInLexRange(r::lexGteMin, r::lexLteMax);
    if (at < 0) return out;
    List<RZSet.Entry> all = z.entries();
    at += reverse ? -offset : offset;
    while (at >= 0 && at < all.size() && (limit < 0 || out.size() < limit)) {
      RZSet.Entry e = all.get((int) at);
      if (reverse ? !r.lexGteMin(e.member()) : !r.lexLteMax(e.member())) break;
      out.add(e);
      at += reverse ? -1 : 1;
    }
    return out;
  }

  private static List<RZSet.Entry> byRank(RZSet z, long start, long end, boolean reverse) {
    RankRange r = RankRange.of(start, end, z.size());
    if (r == null) return List.of();
    return reverse ? z.reverseRange(r.start(), r.end()) : z.range(r.start(), r.end());
  }

  private static void reply(Call c, List<RZSet.Entry> entries, boolean withScores) {
    c.out.arrayHeader(entries.size() * (withScores ? 2 : 1));
    for (RZSet.Entry e : entries) {
      c.out.bulk(e.member());
      if (withScores) score(c, e.score());
    }
  }

  private enum Type { AUTO, RANK, SCORE, LEX }

  /** zrangeGenericCommand. */
  private static void rangeGeneric(Call c, int start, boolean store, Type type, Boolean reverse) {
    int minIdx = start + 1;
    int maxIdx = start + 2;
    boolean withScores = false;
    long offset = 0;
    long limit = -1;
    boolean limitGiven = false;
    for (int j = start + 3; j < c.argc(); j++) {
      int left = c.argc() - j - 1;
      if (!store && c.isArg(j, "withscores")) withScores = true;
      else if (c.isArg(j, "limit") && left >= 2) {
        Long o = c.longArg(j + 1);
        if (o == null) return;
        Long n = c.longArg(j + 2);
        if (n == null) return;
        offset = o;
        limit = n;
        limitGiven = true;
        j += 2;
      } else if (reverse == null && c.isArg(j, "rev")) reverse = true;
      else if (type == Type.AUTO && c.isArg(j, "bylex")) type = Type.LEX;
      else if (type == Type.AUTO && c.isArg(j, "byscore")) type = Type.SCORE;
      else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    if (reverse == null) reverse = false;
    if (type == Type.AUTO) type = Type.RANK;
    if (limitGiven && limit != -1 && type == Type.RANK) {
      c.out.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
      return;
    }
    if (withScores && type == Type.LEX) {
      c.out.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
      return;
    }
    if (reverse && (type == Type.SCORE || type == Type.LEX)) {
      int t = maxIdx;
      maxIdx = minIdx;
      minIdx = t;
    }
    Long rs = null;
    Long re = null;
    Range range = null;
    if (type == Type.RANK) {
      rs = c.longArg(minIdx);
      if (rs == null) return;
      re = c.longArg(maxIdx);
      if (re == null) return;
    } else if (type == Type.SCORE) {
      range = scoreRange(c.arg(minIdx), c.arg(maxIdx));
      if (range == null) {
        c.out.error("ERR min or max is not a float");
        return;
      }
    } else {
      range = lexRange(c.arg(minIdx), c.arg(maxIdx));
      if (range == null) {
        c.out.error("ERR min or max not valid string range item");
        return;
      }
    }
    RedisObject o = c.lookup(c.arg(start));
    if (o == null) {
      if (store) storeResult(c, c.arg(1), List.of(), -1);
      else c.out.arrayHeader(0);
      return;
    }
    if (c.wrongType(o, RZSet.class)) return;
    RZSet z = (RZSet) o;
    List<RZSet.Entry> result = type == Type.RANK ? byRank(z, rs, re, reverse) : select(z, range, type == Type.LEX, reverse, offset, limit);
    if (store) storeResult(c, c.arg(1), result, type == Type.RANK ? result.size() : -1);
    else reply(c, result, withScores);
  }

  /** zrangeResultFinalizeStore. */
  private static void storeResult(Call c, String dst, List<RZSet.Entry> result, long lengthHint) {
    if (!result.isEmpty()) {
      RZSet z = RZSet.forResult(lengthHint, c.limits());
      for (RZSet.Entry e : result) z.put(e.member(), e.score(), c.limits());
      c.setKey(dst, z, false);
      c.out.integer(result.size());
      c.dirty(1);
    } else {
      c.out.integer(0);
      if (c.delete(dst)) {
        c.modified(dst);
        c.dirty(1);
      }
    }
  }

  static void zrange(Call c) {
    rangeGeneric(c, 1, false, Type.AUTO, null);
  }

  static void zrangestore(Call c) {
    rangeGeneric(c, 2, true, Type.AUTO, null);
  }

  static void zrevrange(Call c) {
    rangeGeneric(c, 1, false, Type.RANK, true);
  }

  static void zrangebyscore(Call c) {
    rangeGeneric(c, 1, false, Type.SCORE, false);
  }

  static void zrevrangebyscore(Call c) {
    rangeGeneric(c, 1, false, Type.SCORE, true);
  }

  static void zrangebylex(Call c) {
    rangeGeneric(c, 1, false, Type.LEX, false);
  }

  static void zrevrangebylex(Call c) {
    rangeGeneric(c, 1, false, Type.LEX, true);
  }

  static void zcount(Call c) {
    Range r = scoreRange(c.arg(2), c.arg(3));
    if (r == null) {
      c.out.error("ERR min or max is not a float");
      return;
    }
    RZSet z = read(c, () -> c.out.integer(0));
    if (z == null) return;
    long n = 0;
    for (RZSet.Entry e : z.entries()) if (r.inScore(e.score())) n++;
    c.out.integer(n);
  }

  static void zlexcount(Call c) {
    Range r = lexRange(c.arg(2), c.arg(3));
    if (r == null) {
      c.out.error("ERR min or max not valid string range item");
      return;
    }
    RZSet z = read(c, () -> c.out.integer(0));
    if (z == null) return;
    long first = r.lexEmpty() ? -1 : z.firstInLexRange(r::lexGteMin, r::lexLteMax);
    long n = 0;
    if (first >= 0 && z.isListpack()) {
      List<RZSet.Entry> all = z.entries();
      for (long i = first; i < all.size() && r.lexLteMax(all.get((int) i).member()); i++) n++;
    } else if (first >= 0) {
      long last = z.lastInLexRange(r::lexGteMin, r::lexLteMax);
      n = last >= 0 ? last + 1 - first : z.size() - first;
    }
    c.out.integer(n);
  }

  static void zremrangebyrank(Call c) {
    zremrange(c, Type.RANK);
  }

  static void zremrangebyscore(Call c) {
    zremrange(c, Type.SCORE);
  }

  static void zremrangebylex(Call c) {
    zremrange(c, Type.LEX);
  }

  private static void zremrange(Call c, Type type) {
    Long start = null;
    Long end = null;
    Range r = null;
    if (type == Type.RANK) {
      start = c.longArg(2);
      if (start == null) return;
      end = c.longArg(3);
      if (end == null) return;
    } else if (type == Type.SCORE) {
      r = scoreRange(c.arg(2), c.arg(3));
      if (r == null) {
        c.out.error("ERR min or max is not a float");
        return;
      }
    } else {
      r = lexRange(c.arg(2), c.arg(3));
      if (r == null) {
        c.out.error("ERR min or max not valid string range item");
        return;
      }
    }
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, RZSet.class)) return;
    RZSet z = (RZSet) o;
    List<RZSet.Entry> victims;
    if (type == Type.RANK) {
      RankRange rank = RankRange.of(start, end, z.size());
      if (rank == null) {
        c.out.integer(0);
        return;
      }
      victims = z.range(rank.start(), rank.end());
    } else {
      victims = new ArrayList<>();
      if (type == Type.SCORE) {
        for (RZSet.Entry e : z.entries()) if (r.inScore(e.score())) victims.add(e);
      } else { // zzlDeleteRangeByLex / zslDeleteRangeByLex: from where the search lands, while under max
        List<RZSet.Entry> all = z.entries();
        final Range lr = r;
        for (long i = z.deleteStartByLex(lr::lexGteMin, lr::lexLteMax); i < all.size() && lr.lexLteMax(all.get((int) i).member()); i++) {
          victims.add(all.get((int) i));
        }
      }
    }
    for (RZSet.Entry e : victims) z.remove(e.member());
    if (z.size() == 0) c.delete(c.arg(1));
    if (!victims.isEmpty()) c.modified(c.arg(1));
    c.dirty(victims.size());
    c.out.integer(victims.size());
  }

  // ---- pops -----------------------------------------------------------------------------------------

  /** genericZpopCommand. */
  private static void zpopGeneric(Call c, List<String> keys, boolean max, boolean emitKey, long count, boolean nested,
      boolean nilWhenEmpty) {
    RZSet z = null;
    String key = null;
    for (String k : keys) {
      RedisObject o = c.lookupWrite(k);
      if (o == null) continue;
      if (c.wrongType(o, RZSet.class)) return;
      z = (RZSet) o;
      key = k;
      break;
    }
    if (z == null) {
      if (nilWhenEmpty) c.out.nullArray();
      else c.out.arrayHeader(0);
      return;
    }
    if (count == 0) {
      c.out.arrayHeader(0);
      return;
    }
    if (count == -1) count = 1;
    long llen = z.size();
    int n = (int) Math.min(count, llen);
    if (!nested && !emitKey) c.out.arrayHeader(n * 2);
    else if (nested && !emitKey) c.out.arrayHeader(n);
    else if (!nested) c.out.arrayHeader(n * 2 + 1).bulk(key);
    else c.out.arrayHeader(2).bulk(key).arrayHeader(n);
    for (int k = 0; k < n; k++) {
      RZSet.Entry e = max ? z.at(z.size() - 1) : z.at(0);
      z.remove(e.member());
      c.dirty(1);
      if (nested) c.out.arrayHeader(2);
      c.out.bulk(e.member());
      score(c, e.score());
    }
    c.modified(key);
    if (z.size() == 0) c.delete(key);
    if (c.command.name().equals("zmpop")) c.propagateAs(max ? "ZPOPMAX" : "ZPOPMIN", key, Long.toString(Math.min(count, llen)));
  }

  static void zpopmin(Call c) {
    zpopMinMax(c, false);
  }

  static void zpopmax(Call c) {
    zpopMinMax(c, true);
  }

  private static void zpopMinMax(Call c, boolean max) {
    if (c.argc() > 3) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    long count = -1;
    if (c.argc() == 3) {
      Long n = c.positiveLong(2);
      if (n == null) return;
      count = n;
    }
    zpopGeneric(c, List.of(c.arg(1)), max, false, count, false, false);
  }

  /** blockingGenericZpopCommand. */
  private static void blockingZpop(Call c, List<String> keys, boolean max, int timeoutIdx, long count, boolean nested, boolean nilWhenEmpty) {
    Long deadline = ServerCommands.parseTimeoutMs(c, timeoutIdx, true);
    if (deadline == null) return;
    for (String key : keys) {
      RedisObject o = c.lookupWrite(key);
      if (o == null) continue;
      if (c.wrongType(o, RZSet.class)) return;
      long llen = ((RZSet) o).size();
      if (llen == 0) continue;
      zpopGeneric(c, List.of(key), max, true, count, nested, nilWhenEmpty);
      if (count == -1) c.propagateAs(max ? "ZPOPMAX" : "ZPOPMIN", key);
      else c.propagateAs(max ? "ZPOPMAX" : "ZPOPMIN", key, Long.toString(Math.min(count, llen)));
      return;
    }
    if (!c.mayBlock()) {
      c.out.nullArray();
      return;
    }
    c.block("zset", keys, deadline, null);
  }

  static void bzpopmin(Call c) {
    blockingZpop(c, c.argv.subList(1, c.argc() - 1), false, c.argc() - 1, -1, false, false);
  }

  static void bzpopmax(Call c) {
    blockingZpop(c, c.argv.subList(1, c.argc() - 1), true, c.argc() - 1, -1, false, false);
  }

  private static void zmpopGeneric(Call c, int numkeysIdx, boolean block) {
    Long numkeys = c.longInRange(numkeysIdx, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
    if (numkeys == null) return;
    long whereIdx = numkeysIdx + numkeys + 1;
    if (whereIdx >= c.argc()) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    boolean max;
    if (c.isArg((int) whereIdx, "min")) max = false;
    else if (c.isArg((int) whereIdx, "max")) max = true;
    else {
      c.out.error(Errors.SYNTAX);
      return;
    }
    Long count = ListCommands.mpopCount(c, (int) whereIdx + 1);
    if (count == null) return;
    List<String> keys = c.argv.subList(numkeysIdx + 1, (int) whereIdx);
    if (block) blockingZpop(c, keys, max, 1, count, true, true);
    else zpopGeneric(c, keys, max, true, count, true, true);
  }

  static void zmpop(Call c) {
    zmpopGeneric(c, 1, false);
  }

  static void bzmpop(Call c) {
    zmpopGeneric(c, 2, true);
  }

  // ---- set algebra ------------------------------------------------------------------------------------

  private enum Op { UNION, INTER, DIFF }

  /** A source: a sorted set or a plain set (every member scored 1), and its weight. */
  private record Source(RedisObject subject, double weight) {
    int size() {
      if (subject == null) return 0;
      return subject instanceof RZSet z ? z.size() : ((RSet) subject).size();
    }

    Map<String, Double> entries() {
      Map<String, Double> m = new LinkedHashMap<>();
      if (subject instanceof RZSet z) for (RZSet.Entry e : z.entries()) m.put(e.member(), e.score());
      else if (subject instanceof RSet s) for (String e : s.members()) m.put(e, 1.0);
      return m;
    }

    Double find(String member) {
      if (subject instanceof RZSet z) return z.score(member);
      if (subject instanceof RSet s) return s.contains(member) ? 1.0 : null;
      return null;
    }
  }

  private static double aggregate(double target, double val, String agg) {
    return switch (agg) {
      case "sum" -> {
        double r = target + val;
        yield Double.isNaN(r) ? 0.0 : r;
      }
      case "min" -> val < target ? val : target;
      default -> val > target ? val : target;
    };
  }

  /** zunionInterDiffGenericCommand. */
  private static void algebra(Call c, String dstKey, int numkeysIdx, Op op, boolean cardOnly) {
    Long setnum = c.longArg(numkeysIdx);
    if (setnum == null) return;
    if (setnum < 1) {
      c.out.error("ERR at least 1 input key is needed for '" + c.command.fullName() + "' command");
      return;
    }
    if (setnum > c.argc() - (numkeysIdx + 1)) {
      c.out.error(Errors.SYNTAX);
      return;
    }
    int n = (int) (long) setnum;
    RedisObject[] subjects = new RedisObject[n];
    double[] weights = new double[n];
    int j = numkeysIdx + 1;
    for (int i = 0; i < n; i++, j++) {
      RedisObject o = c.lookup(c.arg(j));
      if (o != null && !(o instanceof RZSet) && !(o instanceof RSet)) {
        c.out.error(Errors.WRONGTYPE);
        return;
      }
      subjects[i] = o;
      weights[i] = 1.0;
    }
    String agg = "sum";
    boolean withScores = false;
    long limit = 0;
    int remaining = c.argc() - j;
    while (remaining > 0) {
      if (op != Op.DIFF && !cardOnly && remaining >= n + 1 && c.isArg(j, "weights")) {
        j++;
        remaining--;
        for (int i = 0; i < n; i++, j++, remaining--) {
          Double w = c.doubleArg(j, "ERR weight value is not a float");
          if (w == null) return;
          weights[i] = w;
        }
      } else if (op != Op.DIFF && !cardOnly && remaining >= 2 && c.isArg(j, "aggregate")) {
        j++;
        remaining--;
        String a = c.arg(j).toLowerCase(java.util.Locale.ROOT);
        if (!a.equals("sum") && !a.equals("min") && !a.equals("max")) {
          c.out.error(Errors.SYNTAX);
          return;
        }
        agg = a;
        j++;
        remaining--;
      } else if (remaining >= 1 && dstKey == null && !cardOnly && c.isArg(j, "withscores")) {
        j++;
        remaining--;
        withScores = true;
      } else if (cardOnly && remaining >= 2 && c.isArg(j, "limit")) {
        j++;
        remaining--;
        Long l = c.longInRange(j, 0, Long.MAX_VALUE, "ERR LIMIT can't be negative");
        if (l == null) return;
        limit = l;
        j++;
        remaining--;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    List<Source> src = new ArrayList<>();
    for (int i = 0; i < n; i++) src.add(new Source(subjects[i], weights[i]));
    if (op != Op.DIFF) src.sort((a, b) -> Integer.compare(a.size(), b.size()));
    Map<String, Double> result = new HashMap<>();
    long card = 0;
    if (op == Op.INTER) {
      if (src.get(0).size() > 0) {
        for (Map.Entry<String, Double> e : src.get(0).entries().entrySet()) {
          double s = src.get(0).weight() * e.getValue();
          if (Double.isNaN(s)) s = 0;
          boolean all = true;
          for (int k = 1; k < src.size() && all; k++) {
            Double v = src.get(k).subject() == src.get(0).subject() ? e.getValue() : src.get(k).find(e.getKey());
            if (v == null) {
              all = false;
              break;
            }
            s = aggregate(s, v * src.get(k).weight(), agg);
          }
          if (!all) continue;
          if (cardOnly) {
            card++;
            if (limit != 0 && card >= limit) break;
          } else {
            result.put(e.getKey(), s);
          }
        }
      }
    } else if (op == Op.UNION) {
      for (Source s : src) {
        for (Map.Entry<String, Double> e : s.entries().entrySet()) {
          double v = s.weight() * e.getValue();
          if (Double.isNaN(v)) v = 0;
          Double cur = result.get(e.getKey());
          result.put(e.getKey(), cur == null ? v : aggregate(cur, v, agg));
        }
      }
    } else if (src.get(0).subject() != null) {
      for (Map.Entry<String, Double> e : src.get(0).entries().entrySet()) {
        boolean elsewhere = false;
        for (int k = 1; k < src.size() && !elsewhere; k++) {
          if (src.get(k).subject() == null) continue;
          if (src.get(k).subject() == src.get(0).subject() || src.get(k).find(e.getKey()) != null) elsewhere = true;
        }
        if (!elsewhere) result.put(e.getKey(), e.getValue());
      }
    }
    RZSet out = new RZSet();
    out.setSkiplist(true);
    for (Map.Entry<String, Double> e : result.entrySet()) out.putLoaded(e.getKey(), e.getValue());
    if (dstKey != null) {
      if (out.size() > 0) {
        out.convertToListpackIfNeeded(c.limits());
        c.setKey(dstKey, out, false);
        c.out.integer(out.size());
        c.dirty(1);
      } else {
        c.out.integer(0);
        if (c.delete(dstKey)) {
          c.modified(dstKey);
          c.dirty(1);
        }
      }
    } else if (cardOnly) {
      c.out.integer(card);
    } else {
      reply(c, out.entries(), withScores);
    }
  }

  static void zunion(Call c) {
    algebra(c, null, 1, Op.UNION, false);
  }

  static void zinter(Call c) {
    algebra(c, null, 1, Op.INTER, false);
  }

  static void zdiff(Call c) {
    algebra(c, null, 1, Op.DIFF, false);
  }

  static void zintercard(Call c) {
    algebra(c, null, 1, Op.INTER, true);
  }

  static void zunionstore(Call c) {
    algebra(c, c.arg(1), 2, Op.UNION, false);
  }

  static void zinterstore(Call c) {
    algebra(c, c.arg(1), 2, Op.INTER, false);
  }

  static void zdiffstore(Call c) {
    algebra(c, c.arg(1), 2, Op.DIFF, false);
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
