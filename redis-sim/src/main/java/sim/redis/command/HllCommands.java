package sim.redis.command;

import sim.redis.keyspace.Hll;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;

/** The HyperLogLog family (hyperloglog.c, 7.0): PFADD PFCOUNT PFMERGE PFDEBUG. */
final class HllCommands {
  private HllCommands() {}

  private static final String INVALID = "INVALIDOBJ Corrupted HLL object detected";

  /** isHLLObjectOrReply. */
  private static Hll hllOrReply(Call c, RedisObject o) {
    if (c.wrongType(o, RString.class)) return null;
    String s = ((RString) o).value();
    if (!Hll.valid(s)) {
      c.out.error("WRONGTYPE Key is not a valid HyperLogLog string value.");
      return null;
    }
    return Hll.fromString(s);
  }

  private static void store(Call c, String key, Hll h, boolean existed) {
    RString s = new RString(h.asString(), RString.RAW);
    if (existed) c.db().put(key, s);
    else c.add(key, s);
  }

  static void pfadd(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookupWrite(key);
    Hll h;
    int updated = 0;
    if (o == null) {
      h = Hll.empty();
      updated++;
    } else {
      h = hllOrReply(c, o);
      if (h == null) return;
    }
    for (int j = 2; j < c.argc(); j++) {
      int r = h.add(c.arg(j), c.limits().hllSparseMaxBytes);
      if (r == 1) updated++;
      else if (r == -1) {
        c.out.error(INVALID);
        return;
      }
    }
    if (updated > 0) {
      h.invalidateCache();
      store(c, key, h, o != null);
      c.modified(key);
      c.dirty(updated);
    }
    c.out.integer(updated > 0 ? 1 : 0);
  }

  static void pfcount(Call c) {
    if (c.argc() > 2) {
      int[] max = new int[Hll.REGISTERS];
      for (int j = 1; j < c.argc(); j++) {
        RedisObject o = c.lookup(c.arg(j));
        if (o == null) continue;
        Hll h = hllOrReply(c, o);
        if (h == null) return;
        if (!h.mergeInto(max)) {
          c.out.error(INVALID);
          return;
        }
      }
      c.out.integer(Hll.countRaw(max));
      return;
    }
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (o == null) {
      c.out.integer(0);
      return;
    }
    Hll h = hllOrReply(c, o);
    if (h == null) return;
    long card;
    if (h.cacheValid()) {
      card = h.cachedCardinality();
    } else {
      boolean[] invalid = new boolean[1];
      card = h.count(invalid);
      if (invalid[0]) {
        c.out.error(INVALID);
        return;
      }
      h.setCachedCardinality(card);
      c.db().put(key, new RString(h.asString(), RString.RAW)); // the cache is part of the value
      c.modified(key);
      c.dirty(1);
    }
    c.out.integer(card);
  }

  static void pfmerge(Call c) {
    int[] max = new int[Hll.REGISTERS];
    boolean dense = false;
    for (int j = 1; j < c.argc(); j++) {
      RedisObject o = c.lookup(c.arg(j));
      if (o == null) continue;
      Hll h = hllOrReply(c, o);
      if (h == null) return;
      if (h.encoding() == Hll.DENSE) dense = true;
      if (!h.mergeInto(max)) {
        c.out.error(INVALID);
        return;
      }
    }
    String key = c.arg(1);
    RedisObject o = c.lookupWrite(key);
    Hll dst = o == null ? Hll.empty() : Hll.fromString(((RString) o).value());
    if (dense && !dst.toDense()) {
      c.out.error(INVALID);
      return;
    }
    for (int j = 0; j < Hll.REGISTERS; j++) if (max[j] != 0) dst.setAtLeast(j, max[j], c.limits().hllSparseMaxBytes);
    dst.invalidateCache();
    store(c, key, dst, o != null);
    c.modified(key);
    c.dirty(1);
    c.out.ok();
  }

  static void pfdebug(Call c) {
    String sub = c.arg(1);
    String key = c.arg(2);
    RedisObject o = c.lookupWrite(key);
    if (o == null) {
      c.out.error("ERR The specified key does not exist");
      return;
    }
    Hll h = hllOrReply(c, o);
    if (h == null) return;
    if (sub.equalsIgnoreCase("getreg")) {
      if (c.argc() != 3) {
        c.out.error(Errors.arity("pfdebug"));
        return;
      }
      if (h.encoding() == Hll.SPARSE) {
        if (!h.toDense()) {
          c.out.error(INVALID);
          return;
        }
        c.db().put(key, new RString(h.asString(), RString.RAW));
        c.dirty(1);
      }
      int[] regs = h.registers();
      c.out.arrayHeader(regs.length);
      for (int r : regs) c.out.integer(r);
    } else if (sub.equalsIgnoreCase("decode")) {
      if (c.argc() != 3) {
        c.out.error(Errors.arity("pfdebug"));
        return;
      }
      if (h.encoding() != Hll.SPARSE) {
        c.out.error("ERR HLL encoding is not sparse");
        return;
      }
      c.out.bulk(h.decode());
    } else if (sub.equalsIgnoreCase("encoding")) {
      if (c.argc() != 3) {
        c.out.error(Errors.arity("pfdebug"));
        return;
      }
      c.out.simple(h.encoding() == Hll.DENSE ? "dense" : "sparse");
    } else if (sub.equalsIgnoreCase("todense")) {
      if (c.argc() != 3) {
        c.out.error(Errors.arity("pfdebug"));
        return;
      }
      boolean conv = false;
      if (h.encoding() == Hll.SPARSE) {
        if (!h.toDense()) {
          c.out.error(INVALID);
          return;
        }
        c.db().put(key, new RString(h.asString(), RString.RAW));
        conv = true;
        c.dirty(1);
      }
      c.out.integer(conv ? 1 : 0);
    } else {
      c.out.error("ERR Unknown PFDEBUG subcommand '" + sub + "'");
    }
  }
}
