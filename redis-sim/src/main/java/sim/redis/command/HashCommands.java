package sim.redis.command;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.LongDouble;
import sim.redis.resp.Numbers;

/**
 * The hash family (t_hash.c, 7.0): HSET HMSET HSETNX HGET HMGET HDEL HLEN HSTRLEN HEXISTS HINCRBY
 * HINCRBYFLOAT HKEYS HVALS HGETALL HSCAN HRANDFIELD.
 */
final class HashCommands {
  private HashCommands() {}

  /** hashTypeLookupWriteOrCreate: null when WRONGTYPE was replied. */
  private static RHash writeOrCreate(Call c) {
    RedisObject o = c.lookupWrite(c.arg(1));
    if (c.wrongType(o, RHash.class)) return null;
    if (o != null) return (RHash) o;
    RHash h = new RHash();
    c.add(c.arg(1), h);
    return h;
  }

  private static RHash read(Call c, Runnable ifMissing) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      ifMissing.run();
      return null;
    }
    if (c.wrongType(o, RHash.class)) return null;
    return (RHash) o;
  }

  static void hset(Call c) {
    if (c.argc() % 2 == 1) {
      c.out.error(Errors.arity(c.command.fullName()));
      return;
    }
    RHash h = writeOrCreate(c);
    if (h == null) return;
    for (int i = 2; i < c.argc(); i++) h.convertIfTooLong(c.arg(i), c.limits());
    long created = 0;
    for (int i = 2; i < c.argc(); i += 2) if (h.put(c.arg(i), c.arg(i + 1), c.limits())) created++;
    if (c.command.name().equals("hset")) c.out.integer(created);
    else c.out.ok();
    c.modified(c.arg(1));
    c.dirty((c.argc() - 2) / 2);
  }

  static void hsetnx(Call c) {
    RHash h = writeOrCreate(c);
    if (h == null) return;
    if (h.contains(c.arg(2))) {
      c.out.integer(0);
      return;
    }
    h.convertIfTooLong(c.arg(2), c.limits());
    h.convertIfTooLong(c.arg(3), c.limits());
    h.put(c.arg(2), c.arg(3), c.limits());
    c.out.integer(1);
    c.modified(c.arg(1));
    c.dirty(1);
  }

  static void hget(Call c) {
    RHash h = read(c, () -> c.out.nullBulk());
    if (h != null) c.out.bulk(h.get(c.arg(2)));
  }

  static void hmget(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RHash.class)) return;
    c.out.arrayHeader(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) c.out.bulk(o == null ? null : ((RHash) o).get(c.arg(i)));
  }

  static void hdel(Call c) {
    KeyCommands.removeMembers(c, RHash.class, RHash::remove, RHash::size);
  }

  static void hlen(Call c) {
    RHash h = read(c, () -> c.out.integer(0));
    if (h != null) c.out.integer(h.size());
  }

  static void hstrlen(Call c) {
    RHash h = read(c, () -> c.out.integer(0));
    if (h == null) return;
    String v = h.get(c.arg(2));
    c.out.integer(v == null ? 0 : v.length());
  }

  static void hexists(Call c) {
    RHash h = read(c, () -> c.out.integer(0));
    if (h != null) c.out.integer(h.contains(c.arg(2)) ? 1 : 0);
  }

  static void hincrby(Call c) {
    Long incr = c.longArg(3);
    if (incr == null) return;
    RHash h = writeOrCreate(c);
    if (h == null) return;
    long value = 0;
    String cur = h.get(c.arg(2));
    if (cur != null) {
      Long v = Numbers.parseLong(cur);
      if (v == null) {
        c.out.error("ERR hash value is not an integer");
        return;
      }
      value = v;
    }
    if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value) || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
      c.out.error(Errors.OVERFLOW);
      return;
    }
    value += incr;
    h.put(c.arg(2), Long.toString(value), c.limits());
    c.out.integer(value);
    c.modified(c.arg(1));
    c.dirty(1);
  }

  static void hincrbyfloat(Call c) {
    BigDecimal incr = LongDouble.parse(c.arg(3));
    if (incr == null) {
      c.out.error(LongDouble.isInfinity(c.arg(3)) ? "ERR value is NaN or Infinity" : Errors.NOT_FLOAT);
      return;
    }
    RHash h = writeOrCreate(c);
    if (h == null) return;
    BigDecimal value = BigDecimal.ZERO;
    String cur = h.get(c.arg(2));
    if (cur != null) {
      value = LongDouble.parse(cur);
      if (value == null) {
        if (LongDouble.isInfinity(cur)) {
          c.out.error("ERR increment would produce NaN or Infinity");
          return;
        }
        c.out.error("ERR hash value is not a float");
        return;
      }
    }
    BigDecimal sum = LongDouble.add(value, incr);
    if (sum == null) {
      c.out.error("ERR increment would produce NaN or Infinity");
      return;
    }
    String text = LongDouble.human(sum);
    h.put(c.arg(2), text, c.limits());
    c.out.bulk(text);
    c.modified(c.arg(1));
    c.dirty(1);
    c.propagateAs("HSET", c.arg(1), c.arg(2), text);
  }

  static void hkeys(Call c) {
    getall(c, true, false);
  }

  static void hvals(Call c) {
    getall(c, false, true);
  }

  static void hgetall(Call c) {
    getall(c, true, true);
  }

  private static void getall(Call c, boolean keys, boolean values) {
    RHash h = read(c, () -> c.out.arrayHeader(0));
    if (h == null) return;
    c.out.arrayHeader(h.size() * ((keys ? 1 : 0) + (values ? 1 : 0)));
    h.forEach((f, v) -> {
      if (keys) c.out.bulk(f);
      if (values) c.out.bulk(v);
    });
  }

  static void hscan(Call c) {
    KeyCommands.scanKey(c, RHash.class);
  }

  /** HRANDFIELD key [count [WITHVALUES]]: Redis's four strategies (the choices are random, the shapes are not). */
  static void hrandfield(Call c) {
    if (c.argc() >= 3) {
      Long l = c.longInRange(2, -Long.MAX_VALUE, Long.MAX_VALUE, Errors.NOT_INTEGER);
      if (l == null) return;
      boolean withValues = false;
      if (c.argc() > 4 || (c.argc() == 4 && !c.isArg(3, "withvalues"))) {
        c.out.error(Errors.SYNTAX);
        return;
      } else if (c.argc() == 4) {
        withValues = true;
        if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
          c.out.error("ERR value is out of range");
          return;
        }
      }
      withCount(c, l, withValues);
      return;
    }
    RHash h = read(c, () -> c.out.nullBulk());
    if (h == null) return;
    List<String> fields = h.fields();
    c.out.bulk(fields.get(randomIndex(c, fields.size())));
  }

  private static int randomIndex(Call c, int n) {
    return (int) Long.remainderUnsigned(c.host.randomLong(), n);
  }

  private static void withCount(Call c, long l, boolean withValues) {
    RHash h = read(c, () -> c.out.arrayHeader(0));
    if (h == null) return;
    long size = h.size();
    boolean unique = l >= 0;
    long count = unique ? l : -l;
    if (count == 0) {
      c.out.arrayHeader(0);
      return;
    }
    List<String> fields = h.fields();
    if (!unique || count == 1) {
      c.out.arrayHeader((int) (withValues ? count * 2 : count));
      for (long i = 0; i < count; i++) {
        String f = fields.get(randomIndex(c, fields.size()));
        c.out.bulk(f);
        if (withValues) c.out.bulk(h.get(f));
      }
      return;
    }
    int n = (int) Math.min(count, size);
    c.out.arrayHeader(withValues ? n * 2 : n);
    List<String> chosen;
    if (count >= size) {
      chosen = fields;
    } else {
      LinkedHashSet<String> pick = new LinkedHashSet<>();
      List<String> pool = new ArrayList<>(fields);
      while (pick.size() < count) pick.add(pool.remove(randomIndex(c, pool.size())));
      chosen = new ArrayList<>(pick);
    }
    for (String f : chosen) {
      c.out.bulk(f);
      if (withValues) c.out.bulk(h.get(f));
    }
  }
}
