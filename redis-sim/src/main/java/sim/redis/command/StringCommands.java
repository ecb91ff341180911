package sim.redis.command;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.LongDouble;
import sim.redis.resp.Numbers;

/**
 * The string family (t_string.c, 7.0): GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX GETRANGE SUBSTR SETRANGE
 * APPEND STRLEN INCR INCRBY DECR DECRBY INCRBYFLOAT MGET MSET MSETNX; LCS is {@link LcsCommand}.
 */
final class StringCommands {
  /** proto-max-bulk-len: 512 MB. */
  static final long PROTO_MAX_BULK_LEN = 512L * 1024 * 1024;

  private StringCommands() {}

  private static final int NX = 1;
  private static final int XX = 2;
  private static final int EX = 4;
  private static final int PX = 8;
  private static final int KEEPTTL = 16;
  private static final int GET = 32;
  private static final int EXAT = 64;
  private static final int PXAT = 128;
  private static final int PERSIST = 256;

  /** The parsed options of SET / GETEX and the index of the expire argument (-1: none). */
  private record Options(int flags, int expireIdx) {}

  /** parseExtendedStringArgumentsOrReply. */
  private static Options parseOptions(Call c, boolean set) {
    int flags = 0;
    int expireIdx = -1;
    for (int j = set ? 3 : 2; j < c.argc(); j++) {
      String opt = c.arg(j);
      boolean next = j < c.argc() - 1;
      if (opt.equalsIgnoreCase("nx") && (flags & XX) == 0 && set) flags |= NX;
      else if (opt.equalsIgnoreCase("xx") && (flags & NX) == 0 && set) flags |= XX;
      else if (opt.equalsIgnoreCase("get") && set) flags |= GET;
      else if (opt.equalsIgnoreCase("keepttl") && (flags & (PERSIST | EX | EXAT | PX | PXAT)) == 0 && set) flags |= KEEPTTL;
      else if (opt.equalsIgnoreCase("persist") && !set && (flags & (EX | EXAT | PX | PXAT | KEEPTTL)) == 0) flags |= PERSIST;
      else if (opt.equalsIgnoreCase("ex") && (flags & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) == 0 && next) {
        flags |= EX;
        expireIdx = ++j;
      } else if (opt.equalsIgnoreCase("px") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) == 0 && next) {
        flags |= PX;
        expireIdx = ++j;
      } else if (opt.equalsIgnoreCase("exat") && (flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) == 0 && next) {
        flags |= EXAT;
        expireIdx = ++j;
      } else if (opt.equalsIgnoreCase("pxat") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PX)) == 0 && next) {
        flags |= PXAT;
        expireIdx = ++j;
      } else {
        c.out.error(Errors.SYNTAX);
        return null;
      }
    }
    return new Options(flags, expireIdx);
  }

  /** getExpireMillisecondsOrReply: an absolute unix-ms time, or null with the error replied. */
  private static Long expireMs(Call c, int idx, int flags) {
    Long v = c.longArg(idx);
    if (v == null) return null;
    boolean seconds = (flags & (EX | EXAT)) != 0;
    long ms = v;
    if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
      c.out.error(Errors.invalidExpire(c.command.fullName()));
      return null;
    }
    if (seconds) ms *= 1000;
    if ((flags & (EX | PX)) != 0) ms += c.now();
    if (ms <= 0) {
      c.out.error(Errors.invalidExpire(c.command.fullName()));
      return null;
    }
    return ms;
  }

  /** setGenericCommand. */
  private static void setGeneric(Call c, int flags, String key, String value, int expireIdx, boolean intReplies) {
    Long ms = null;
    if (expireIdx >= 0) {
      ms = expireMs(c, expireIdx, flags);
      if (ms == null) return;
    }
    if ((flags & GET) != 0 && !getGeneric(c)) return;
    boolean found = c.lookupWrite(key) != null;
    if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
      if ((flags & GET) == 0) {
        if (intReplies) c.out.integer(0);
        else c.out.nullBulk();
      }
      return;
    }
    c.setKey(key, new RString(value), (flags & KEEPTTL) != 0);
    c.dirty(1);
    if (ms != null) {
      c.db().setExpire(key, ms);
      c.propagateAs("SET", key, value, "PXAT", Long.toString(ms));
    } else if ((flags & GET) != 0) {
      List<String> argv = new ArrayList<>();
      for (int j = 0; j < c.argc(); j++) if (!(j >= 3 && c.arg(j).equalsIgnoreCase("get"))) argv.add(c.arg(j));
      c.propagateAs(argv);
    }
    if ((flags & GET) == 0) {
      if (intReplies) c.out.integer(1);
      else c.out.ok();
    }
  }

  /** getGenericCommand: false (WRONGTYPE replied) when the key holds another type. */
  private static boolean getGeneric(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.nullBulk();
      return true;
    }
    if (c.wrongType(o, RString.class)) return false;
    c.out.bulk(((RString) o).value());
    return true;
  }

  static void get(Call c) {
    getGeneric(c);
  }

  static void set(Call c) {
    Options o = parseOptions(c, true);
    if (o != null) setGeneric(c, o.flags(), c.arg(1), c.arg(2), o.expireIdx(), false);
  }

  static void setnx(Call c) {
    setGeneric(c, NX, c.arg(1), c.arg(2), -1, true);
  }

  static void setex(Call c) {
    setGeneric(c, EX, c.arg(1), c.arg(3), 2, false);
  }

  static void psetex(Call c) {
    setGeneric(c, PX, c.arg(1), c.arg(3), 2, false);
  }

  static void getex(Call c) {
    Options opts = parseOptions(c, false);
    if (opts == null) return;
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (o == null) {
      c.out.nullBulk();
      return;
    }
    if (c.wrongType(o, RString.class)) return;
    Long ms = null;
    if (opts.expireIdx() >= 0) {
      ms = expireMs(c, opts.expireIdx(), opts.flags());
      if (ms == null) return;
    }
    c.out.bulk(((RString) o).value());
    if ((opts.flags() & (PXAT | EXAT)) != 0 && ms <= c.now() && !c.loading() && !c.host.isReplica()) {
      c.delete(key);
      c.propagateAs("DEL", key);
      c.modified(key);
      c.dirty(1);
    } else if (ms != null) {
      c.db().setExpire(key, ms);
      c.propagateAs("PEXPIREAT", key, Long.toString(ms));
      c.modified(key);
      c.dirty(1);
    } else if ((opts.flags() & PERSIST) != 0 && c.db().removeExpire(key)) {
      c.modified(key);
      c.propagateAs("PERSIST", key);
      c.dirty(1);
    }
  }

  static void getdel(Call c) {
    if (!getGeneric(c)) return;
    if (c.delete(c.arg(1))) {
      c.propagateAs("DEL", c.arg(1));
      c.modified(c.arg(1));
      c.dirty(1);
    }
  }

  static void getset(Call c) {
    if (!getGeneric(c)) return;
    c.setKey(c.arg(1), new RString(c.arg(2)), false);
    c.dirty(1);
    List<String> argv = new ArrayList<>(c.argv);
    argv.set(0, "SET");
    c.propagateAs(argv);
  }

  static void setrange(Call c) {
    Long offset = c.longArg(2);
    if (offset == null) return;
    String value = c.arg(3);
    if (offset < 0) {
      c.out.error("ERR offset is out of range");
      return;
    }
    String key = c.arg(1);
    RedisObject o = c.lookupWrite(key);
    String current;
    if (o == null) {
      if (value.isEmpty()) {
        c.out.integer(0);
        return;
      }
      if (!lengthOk(c, offset, value.length())) return;
      current = "";
    } else {
      if (c.wrongType(o, RString.class)) return;
      current = ((RString) o).value();
      if (value.isEmpty()) {
        c.out.integer(current.length());
        return;
      }
      if (!lengthOk(c, offset, value.length())) return;
    }
    int off = (int) (long) offset;
    StringBuilder sb = new StringBuilder(current);
    while (sb.length() < off + value.length()) sb.append('\0');
    sb.replace(off, off + value.length(), value);
    RString updated = new RString(sb.toString(), RString.RAW);
    if (o == null) c.add(key, updated);
    else c.db().put(key, updated);
    c.modified(key);
    c.dirty(1);
    c.out.integer(sb.length());
  }

  /** checkStringLength: the result must stay within proto-max-bulk-len. */
  static boolean lengthOk(Call c, long size, long append) {
    if (c.client.isMaster()) return true;
    long total = size + append;
    if (total > PROTO_MAX_BULK_LEN || total < size) {
      c.out.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
      return false;
    }
    return true;
  }

  static void getrange(Call c) {
    Long start = c.longArg(2);
    if (start == null) return;
    Long end = c.longArg(3);
    if (end == null) return;
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.bulk("");
      return;
    }
    if (c.wrongType(o, RString.class)) return;
    String s = ((RString) o).value();
    long len = s.length();
    long st = start;
    long en = end;
    if (st < 0 && en < 0 && st > en) {
      c.out.bulk("");
      return;
    }
    if (st < 0) st = len + st;
    if (en < 0) en = len + en;
    if (st < 0) st = 0;
    if (en < 0) en = 0;
    if (Long.compareUnsigned(en, len) >= 0) en = len - 1;
    if (st > en || len == 0) c.out.bulk("");
    else c.out.bulk(s.substring((int) st, (int) en + 1));
  }

  static void mget(Call c) {
    c.out.arrayHeader(c.argc() - 1);
    for (int i = 1; i < c.argc(); i++) {
      RedisObject o = c.lookup(c.arg(i));
      c.out.bulk(o instanceof RString s ? s.value() : null);
    }
  }

  static void mset(Call c) {
    msetGeneric(c, false);
  }

  static void msetnx(Call c) {
    msetGeneric(c, true);
  }

  private static void msetGeneric(Call c, boolean nx) {
    if (c.argc() % 2 == 0) {
      c.out.error(Errors.arity(c.command.fullName()));
      return;
    }
    if (nx) {
      for (int j = 1; j < c.argc(); j += 2) {
        if (c.lookupWrite(c.arg(j)) != null) {
          c.out.integer(0);
          return;
        }
      }
    }
    for (int j = 1; j < c.argc(); j += 2) c.setKey(c.arg(j), new RString(c.arg(j + 1)), false);
    c.dirty((c.argc() - 1) / 2);
    if (nx) c.out.integer(1);
    else c.out.ok();
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
    RedisObject o = c.lookupWrite(key);
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
    RString updated = new RString(Long.toString(value));
    if (o == null) c.add(key, updated);
    else c.db().put(key, updated); // dbOverwrite keeps the TTL
    c.modified(key);
    c.dirty(1);
    c.out.integer(value);
  }

  static void incrbyfloat(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookupWrite(key);
    if (c.wrongType(o, RString.class)) return;
    String current = o == null ? "0" : ((RString) o).value();
    BigDecimal value = LongDouble.parse(current);
    boolean valueInf = value == null && LongDouble.isInfinity(current);
    if (value == null && !valueInf) {
      c.out.error(Errors.NOT_FLOAT);
      return;
    }
    BigDecimal incr = LongDouble.parse(c.arg(2));
    boolean incrInf = incr == null && LongDouble.isInfinity(c.arg(2));
    if (incr == null && !incrInf) {
      c.out.error(Errors.NOT_FLOAT);
      return;
    }
    BigDecimal sum = valueInf || incrInf ? null : LongDouble.add(value, incr);
    if (sum == null) {
      c.out.error("ERR increment would produce NaN or Infinity");
      return;
    }
    String text = LongDouble.human(sum);
    RString updated = new RString(text, RString.CREATED);
    if (o == null) c.add(key, updated);
    else c.db().put(key, updated);
    c.modified(key);
    c.dirty(1);
    c.out.bulk(text);
    c.propagateAs("SET", key, text, "KEEPTTL");
  }

  static void append(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookupWrite(key);
    int total;
    if (o == null) {
      c.add(key, new RString(c.arg(2)));
      total = c.arg(2).length();
    } else {
      if (c.wrongType(o, RString.class)) return;
      String cur = ((RString) o).value();
      if (!lengthOk(c, cur.length(), c.arg(2).length())) return;
      String v = cur + c.arg(2);
      c.db().put(key, new RString(v, RString.RAW)); // appending unshares the value into a raw sds
      total = v.length();
    }
    c.modified(key);
    c.dirty(1);
    c.out.integer(total);
  }

  static void strlen(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, RString.class)) return;
    c.out.integer(((RString) o).value().length());
  }
}
