package sim.redis.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;

import static sim.redis.command.ZSetCommands.reply;

/** Sorted-set algebra (t_zset.c zunionInterDiffGenericCommand): ZUNION ZINTER ZDIFF ZINTERCARD and their
 * STORE forms, over sorted sets and plain sets (every member scored 1), with WEIGHTS and AGGREGATE. */
final class ZSetAlgebra {
  private ZSetAlgebra() {}

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

}
