package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/** GET SET MGET MSET INCR INCRBY DECR DECRBY APPEND STRLEN (t_string.c, 7.0). */
final class StringCommands {
  private StringCommands() {}

  static void get(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RString.class)) return;
    c.out.bulk(o == null ? null : ((RString) o).value());
  }

  /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ts-ms | KEEPTTL]. */
  static void set(Call c) {
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    boolean keepTtl = false;
    String unit = null;
    int expireIdx = -1;
    for (int j = 3; j < c.argc(); j++) {
      String a = c.arg(j);
      boolean hasNext = j + 1 < c.argc();
      if (a.equalsIgnoreCase("nx") && !xx) nx = true;
      else if (a.equalsIgnoreCase("xx") && !nx) xx = true;
      else if (a.equalsIgnoreCase("get")) get = true;
      else if (a.equalsIgnoreCase("keepttl") && unit == null) keepTtl = true;
      else if ((a.equalsIgnoreCase("ex") || a.equalsIgnoreCase("px") || a.equalsIgnoreCase("exat")
          || a.equalsIgnoreCase("pxat")) && !keepTtl && (unit == null || unit.equalsIgnoreCase(a)) && hasNext) {
        unit = a.toLowerCase(java.util.Locale.ROOT);
        expireIdx = ++j;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    long atMs = -1;
    if (unit != null) {
      Long v = c.longArg(expireIdx);
      if (v == null) return;
      long ms = v;
      boolean seconds = unit.equals("ex") || unit.equals("exat");
      if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
        c.out.error(Errors.invalidExpire("set"));
        return;
      }
      if (seconds) ms *= 1000;
      if (unit.equals("ex") || unit.equals("px")) {
        if (ms > Long.MAX_VALUE - c.now()) {
          c.out.error(Errors.invalidExpire("set"));
          return;
        }
        ms += c.now();
      }
      atMs = ms;
    }
    String key = c.arg(1);
    RedisObject old = c.lookup(key);
    if (get) {
      if (c.wrongType(old, RString.class)) return;
    }
    boolean exists = old != null;
    if ((nx && exists) || (xx && !exists)) {
      if (get) c.out.bulk(exists ? ((RString) old).value() : null);
      else c.out.nullBulk();
      return;
    }
    c.db().put(key, new RString(c.arg(2)));
    if (!keepTtl) c.db().removeExpire(key);
    if (atMs >= 0) c.db().setExpire(key, atMs);
    c.dirty(1);
    if (get) c.out.bulk(exists ? ((RString) old).value() : null);
    else c.out.ok();
    if (unit != null && !unit.equals("pxat")) c.propagateAs(List.of("SET", key, c.arg(2), "PXAT", Long.toString(atMs)));
  }

  static void mget(Call c) {
    c.out.arrayHeader(c.argc() - 1);
    for (int i = 1; i < c.argc(); i++) {
      RedisObject o = c.lookup(c.arg(i));
      c.out.bulk(o instanceof RString s ? s.value() : null);
    }
  }

  static void mset(Call c) {
    if (c.argc() % 2 == 0) {
      c.out.error(Errors.arity("mset"));
      return;
    }
    for (int i = 1; i < c.argc(); i += 2) {
      c.db().put(c.arg(i), new RString(c.arg(i + 1)));
      c.db().removeExpire(c.arg(i));
    }
    c.dirty((c.argc() - 1) / 2);
    c.out.ok();
  }

  static void incr(Call c) {
    incrDecr(c, 1);
  }

  static void decr(Call c) {
    incrDecr(c, -1);
  }

  static void incrby(Call c) {
    Long by = c.longArg(2);
    if (by != null) incrDecr(c, by);
  }

  static void decrby(Call c) {
    Long by = c.longArg(2);
    if (by == null) return;
    if (by == Long.MIN_VALUE) {
      c.out.error("ERR decrement would overflow");
      return;
    }
    incrDecr(c, -by);
  }

  private static void incrDecr(Call c, long by) {
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RString.class)) return;
    long value = 0;
    if (o != null) {
      Long v = Numbers.parseLong(((RString) o).value());
      if (v == null) {
        c.out.error(Errors.NOT_INTEGER);
        return;
      }
      value = v;
    }
    if ((by < 0 && value < 0 && by < Long.MIN_VALUE - value) || (by > 0 && value > 0 && by > Long.MAX_VALUE - value)) {
      c.out.error(Errors.OVERFLOW);
      return;
    }
    value += by;
    c.db().put(key, new RString(Long.toString(value))); // keeps the TTL, like Redis's in-place update
    c.dirty(1);
    c.out.integer(value);
  }

  static void append(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RString.class)) return;
    String v = o == null ? c.arg(2) : ((RString) o).value() + c.arg(2);
    c.db().put(key, new RString(v, o != null)); // appending unshares the value into a raw sds
    c.dirty(1);
    c.out.integer(v.length());
  }

  static void strlen(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RString.class)) return;
    c.out.integer(o == null ? 0 : ((RString) o).value().length());
  }
}
