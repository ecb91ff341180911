package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

import static sim.redis.command.ZSetCommands.read;
import static sim.redis.command.ZSetCommands.reply;

/** Sorted-set ranges (t_zset.c): zrangespec and zlexrangespec, zrangeGenericCommand with BYSCORE/BYLEX/REV/LIMIT and
 * its store variant, ZCOUNT, ZLEXCOUNT and the ZREMRANGEBY* family. */
final class ZSetRanges {
  private ZSetRanges() {}

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

}
