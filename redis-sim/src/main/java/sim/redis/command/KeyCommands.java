package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.ToIntFunction;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Dict;
import sim.redis.keyspace.Glob;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/**
 * The generic family (db.c, object.c): DEL UNLINK EXISTS TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX MOVE COPY TOUCH
 * OBJECT, and the SSCAN/HSCAN/ZSCAN walk they share with SCAN; expiry is {@link ExpireCommands}'.
 */
final class KeyCommands {
  private KeyCommands() {}

  static void del(Call c) {
    long deleted = 0;
    for (int i = 1; i < c.argc(); i++) {
      c.lookupWrite(c.arg(i)); // expireIfNeeded
      if (c.delete(c.arg(i))) {
        c.modified(c.arg(i));
        c.dirty(1);
        deleted++;
      }
    }
    c.out.integer(deleted);
  }

  static void exists(Call c) {
    long n = 0;
    for (int i = 1; i < c.argc(); i++) if (c.lookup(c.arg(i)) != null) n++;
    c.out.integer(n);
  }

  static void touch(Call c) {
    exists(c);
  }

  static void type(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    c.out.simple(o == null ? "none" : o.typeName());
  }

  static void keys(Call c) {
    String pattern = c.arg(1);
    boolean all = pattern.equals("*");
    List<String> out = new ArrayList<>();
    Db db = c.db();
    long now = c.now();
    db.forEach((key, v) -> {
      if (!all && !Glob.matches(pattern, key)) return;
      long at = db.expireAtMs(key);
      if (at >= 0 && at <= now && !c.loading()) return; // keysCommand skips logically expired keys
      out.add(key);
    });
    c.out.arrayHeader(out.size());
    for (String k : out) c.out.bulk(k);
  }

  static void randomkey(Call c) {
    Db db = c.db();
    while (true) {
      String key = db.randomKey(() -> c.host.randomLong());
      if (key == null) {
        c.out.nullBulk();
        return;
      }
      if (db.expireAtMs(key) >= 0 && c.lookupWrite(key) == null) continue; // expired: deleted, try another
      c.out.bulk(key);
      return;
    }
  }

  // ---- RENAME MOVE COPY ----------------------------------------------------------------------------------

  static void rename(Call c) {
    renameGeneric(c, false);
  }

  static void renamenx(Call c) {
    renameGeneric(c, true);
  }

  private static void renameGeneric(Call c, boolean nx) {
    String from = c.arg(1);
    String to = c.arg(2);
    RedisObject o = c.lookupWrite(from);
    if (o == null) {
      c.out.error("ERR no such key");
      return;
    }
    if (from.equals(to)) {
      if (nx) c.out.integer(0);
      else c.out.ok();
      return;
    }
    long expire = c.db().expireAtMs(from);
    if (c.lookupWrite(to) != null) {
      if (nx) {
        c.out.integer(0);
        return;
      }
      c.delete(to);
    }
    c.add(to, o);
    if (expire != -1) c.db().setExpire(to, expire);
    c.delete(from);
    c.modified(from);
    c.modified(to);
    c.dirty(1);
    if (nx) c.out.integer(1);
    else c.out.ok();
  }

  static void move(Call c) {
    if (c.host.config().clusterEnabled) {
      c.out.error("ERR MOVE is not allowed in cluster mode");
      return;
    }
    Long dbid = c.longInRange(2, Integer.MIN_VALUE, Integer.MAX_VALUE, Errors.NOT_INTEGER);
    if (dbid == null) return;
    if (dbid < 0 || dbid >= Keyspace.DATABASES) {
      c.out.error(Errors.DB_RANGE);
      return;
    }
    Db src = c.db();
    Db dst = c.keyspace().db((int) (long) dbid);
    if (src == dst) {
      c.out.error("ERR source and destination objects are the same");
      return;
    }
    String key = c.arg(1);
    RedisObject o = c.lookupWrite(key);
    if (o == null) {
      c.out.integer(0);
      return;
    }
    long expire = src.expireAtMs(key);
    if (c.lookupWrite(dst, key) != null) {
      c.out.integer(0);
      return;
    }
    c.add(dst, key, o);
    if (expire != -1) dst.setExpire(key, expire);
    src.delete(key);
    c.modified(src, key);
    c.modified(dst, key);
    c.dirty(1);
    c.out.integer(1);
  }

  static void copy(Call c) {
    Db src = c.db();
    Db dst = src;
    boolean replace = false;
    for (int j = 3; j < c.argc(); j++) {
      int more = c.argc() - j - 1;
      if (c.isArg(j, "replace")) {
        replace = true;
      } else if (c.isArg(j, "db") && more >= 1) {
        Long id = c.longInRange(j + 1, Integer.MIN_VALUE, Integer.MAX_VALUE, Errors.NOT_INTEGER);
        if (id == null) return;
        if (id < 0 || id >= Keyspace.DATABASES) {
          c.out.error(Errors.DB_RANGE);
          return;
        }
        dst = c.keyspace().db((int) (long) id);
        j++;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    if (c.host.config().clusterEnabled && (src.id != 0 || dst.id != 0)) {
      c.out.error("ERR Copying to another database is not allowed in cluster mode");
      return;
    }
    String key = c.arg(1);
    String newKey = c.arg(2);
    if (src == dst && key.equals(newKey)) {
      c.out.error("ERR source and destination objects are the same");
      return;
    }
    RedisObject o = c.lookup(key);
    if (o == null) {
      c.out.integer(0);
      return;
    }
    long expire = src.expireAtMs(key);
    boolean delete = false;
    if (c.lookupWrite(dst, newKey) != null) {
      if (!replace) {
        c.out.integer(0);
        return;
      }
      delete = true;
    }
    if (delete) dst.delete(newKey);
    c.add(dst, newKey, o.deepCopy());
    if (expire != -1) dst.setExpire(newKey, expire);
    c.modified(dst, newKey);
    c.dirty(1);
    c.out.integer(1);
  }

  // ---- OBJECT ------------------------------------------------------------------------------------------

  static void objectEncoding(Call c) {
    RedisObject o = c.lookupWrite(c.arg(2));
    c.out.bulk(o == null ? null : o.encoding());
  }

  /** OBJECT REFCOUNT: shared integers (0..9999) report OBJ_SHARED_REFCOUNT, everything else 1. */
  static void objectRefcount(Call c) {
    RedisObject o = c.lookupWrite(c.arg(2));
    if (o == null) {
      c.out.nullBulk();
      return;
    }
    if (o instanceof RString s && !s.raw()) {
      Long v = Numbers.parseLong(s.value());
      if (v != null && v >= 0 && v < 10000) {
        c.out.integer(Integer.MAX_VALUE);
        return;
      }
    }
    c.out.integer(1);
  }

  /** OBJECT IDLETIME: the model keeps no LRU clock per object; always 0 (see the README). */
  static void objectIdletime(Call c) {
    if (c.lookupWrite(c.arg(2)) == null) c.out.nullBulk();
    else c.out.integer(0);
  }

  static void objectFreq(Call c) {
    if (c.lookupWrite(c.arg(2)) == null) {
      c.out.nullBulk();
      return;
    }
    c.out.error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when "
        + "switching between policies at runtime LRU and LFU data will take some time to adjust.");
  }

  // ---- SCAN family -------------------------------------------------------------------------------------

  /** parseScanCursorOrReply: strtoul with an end check (a sign is accepted, '-' wraps around). */
  static Long parseCursor(Call c, int i) {
    String s = c.arg(i);
    if (!s.isEmpty() && Character.isWhitespace(s.charAt(0))) return cursorError(c);
    int j = 0;
    boolean negative = false;
    if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
      negative = s.charAt(j) == '-';
      j++;
    }
    if (j == s.length()) return j == 0 ? 0L : cursorError(c);
    long v = 0;
    for (; j < s.length(); j++) {
      char ch = s.charAt(j);
      if (ch < '0' || ch > '9') return cursorError(c);
      long next = v * 10 + (ch - '0');
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0 || Long.compareUnsigned(next, v) < 0) return cursorError(c);
      v = next;
    }
    return negative ? -v : v;
  }

  private static Long cursorError(Call c) {
    c.out.error("ERR invalid cursor");
    return null;
  }

  static void scan(Call c) {
    Long cursor = parseCursor(c, 1);
    if (cursor != null) scanGeneric(c, null, cursor);
  }

  /** HSCAN, SSCAN, ZSCAN: the cursor first (an invalid one is refused before the key is looked up), an empty reply for a missing key. */
  /**
   * SREM, ZREM and HDEL: remove each named member, delete the key when it empties (and stop there, as t_set.c,
   * t_zset.c and t_hash.c do), one dirty per removed member.
   */
  static <T extends RedisObject> void removeMembers(Call c, Class<T> type, BiPredicate<T, String> remove, ToIntFunction<T> size) {
    RedisObject o = c.lookupWrite(c.arg(1));
    if (o == null) {
      c.out.integer(0);
      return;
    }
    if (c.wrongType(o, type)) return;
    T value = type.cast(o);
    long deleted = 0;
    for (int j = 2; j < c.argc(); j++) {
      if (remove.test(value, c.arg(j))) {
        deleted++;
        if (size.applyAsInt(value) == 0) {
          c.delete(c.arg(1));
          break;
        }
      }
    }
    if (deleted > 0) {
      c.modified(c.arg(1));
      c.dirty(deleted);
    }
    c.out.integer(deleted);
  }

  static void scanKey(Call c, Class<? extends RedisObject> type) {
    Long cursor = parseCursor(c, 2);
    if (cursor == null) return;
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.arrayHeader(2).bulk("0").arrayHeader(0);
      return;
    }
    if (c.wrongType(o, type)) return;
    scanGeneric(c, o, cursor);
  }

  /** scanGenericCommand: COUNT, MATCH (and TYPE for SCAN); dict encodings walk the dict, small ones return everything. */
  static void scanGeneric(Call c, RedisObject o, long cursor) {
    long count = 10;
    String pattern = null;
    String typeName = null;
    for (int i = o == null ? 2 : 3; i < c.argc(); ) {
      int left = c.argc() - i;
      if (c.isArg(i, "count") && left >= 2) {
        Long n = c.longArg(i + 1);
        if (n == null) return;
        if (n < 1) {
          c.out.error(Errors.SYNTAX);
          return;
        }
        count = n;
        i += 2;
      } else if (c.isArg(i, "match") && left >= 2) {
        pattern = c.arg(i + 1).equals("*") ? null : c.arg(i + 1);
        i += 2;
      } else if (c.isArg(i, "type") && o == null && left >= 2) {
        typeName = c.arg(i + 1);
        i += 2;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    List<String> items = new ArrayList<>();
    boolean pairs = o instanceof RHash || o instanceof RZSet;
    Dict<?> dict = null;
    if (o == null) dict = null;
    else if (o instanceof RSet s && !s.isIntset()) dict = s.table();
    else if (o instanceof RHash h && !h.isListpack()) dict = h.table();
    else if (o instanceof RZSet z && !z.isListpack()) dict = z.dict();
    long next = 0;
    if (o == null || dict != null) {
      long want = pairs ? count * 2 : count;
      long maxIterations = want * 10;
      do {
        if (o == null) {
          next = c.db().scan(cursor, (k, v) -> items.add(k));
        } else {
          next = scanDict(dict, cursor, o, items);
        }
        cursor = next;
      } while (cursor != 0 && maxIterations-- > 0 && items.size() < want);
    } else if (o instanceof RSet s) {
      items.addAll(s.members());
    } else if (o instanceof RHash h) {
      h.forEach((f, v) -> {
        items.add(f);
        items.add(v);
      });
    } else if (o instanceof RZSet z) {
      for (RZSet.Entry e : z.entries()) {
        items.add(e.member());
        items.add(scoreString(e.score()));
      }
    }
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
      String k = items.get(i);
      boolean filter = pattern != null && !Glob.matches(pattern, k);
      if (!filter && o == null && typeName != null) {
        RedisObject t = c.lookup(k);
        filter = !typeName.equalsIgnoreCase(t == null ? "none" : t.typeName());
      }
      if (!filter && o == null) {
        long at = c.db().expireAtMs(k);
        if (at >= 0 && at <= c.now() && c.lookupWrite(k) == null) filter = true;
      }
      if (filter) continue;
      kept.add(k);
      if (pairs) kept.add(items.get(i + 1));
    }
    c.out.arrayHeader(2).bulk(Long.toUnsignedString(next));
    c.out.arrayHeader(kept.size());
    for (String k : kept) c.out.bulk(k);
  }

  @SuppressWarnings("unchecked")
  private static long scanDict(Dict<?> dict, long cursor, RedisObject o, List<String> items) {
    if (o instanceof RZSet) {
      return ((Dict<Double>) dict).scan(cursor, (k, v) -> {
        items.add(k);
        items.add(Numbers.formatDouble(v));
      });
    }
    if (o instanceof RHash) {
      return ((Dict<String>) dict).scan(cursor, (k, v) -> {
        items.add(k);
        items.add(v);
      });
    }
    return dict.scan(cursor, (k, v) -> items.add(k));
  }

  /** A listpack score as d2string stored it: integral values as integers. */
  static String scoreString(double d) {
    return Numbers.d2string(d);
  }
}
