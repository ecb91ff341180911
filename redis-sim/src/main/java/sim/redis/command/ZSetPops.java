package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;

import static sim.redis.command.ZSetCommands.score;

/** Sorted-set pops (t_zset.c): genericZpopCommand and its blocking form, ZPOPMIN/ZPOPMAX, BZPOPMIN/BZPOPMAX,
 * ZMPOP/BZMPOP. */
final class ZSetPops {
  private ZSetPops() {}

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

}
