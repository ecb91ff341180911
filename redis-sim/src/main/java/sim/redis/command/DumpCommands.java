package sim.redis.command;

import java.nio.charset.StandardCharsets;
import sim.redis.keyspace.RedisObject;
import sim.redis.rdb.RdbReader;
import sim.redis.rdb.RdbWriter;

/**
 * DUMP, RESTORE and RESTORE-ASKING (cluster.c): a key's value as a DUMP payload (the RDB serialisation of the
 * object, the RDB version and a CRC-64) and back. MIGRATE carries keys between cluster nodes as RESTORE-ASKING
 * commands with these payloads. Payloads are ISO-8859-1 strings, one char per byte, as RESP delivered them.
 */
final class DumpCommands {
  static final String BUSYKEY = "BUSYKEY Target key name already exists.";

  private DumpCommands() {}

  static void dump(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (o == null) {
      c.out.nullBulk();
      return;
    }
    c.out.bulk(new String(RdbWriter.dump(o), StandardCharsets.ISO_8859_1));
  }

  /** restoreCommand: RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]. */
  static void restore(Call c) {
    boolean replace = false;
    boolean absttl = false;
    boolean idle = false;
    boolean freq = false;
    for (int j = 4; j < c.argc(); j++) {
      int additional = c.argc() - j - 1;
      if (c.isArg(j, "replace")) {
        replace = true;
      } else if (c.isArg(j, "absttl")) {
        absttl = true;
      } else if (c.isArg(j, "idletime") && additional >= 1 && !freq) {
        Long v = c.longArg(j + 1);
        if (v == null) return;
        if (v < 0) {
          c.out.error("ERR Invalid IDLETIME value, must be >= 0");
          return;
        }
        idle = true; // no LRU clock is modelled: accepted and ignored
        j++;
      } else if (c.isArg(j, "freq") && additional >= 1 && !idle) {
        Long v = c.longArg(j + 1);
        if (v == null) return;
        if (v < 0 || v > 255) {
          c.out.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
          return;
        }
        freq = true; // no LFU counter is modelled: accepted and ignored
        j++;
      } else {
        c.out.error(Errors.SYNTAX);
        return;
      }
    }
    String key = c.arg(1);
    if (!replace && c.lookupWrite(key) != null) {
      c.out.error(BUSYKEY);
      return;
    }
    Long ttl = c.longArg(2);
    if (ttl == null) return;
    if (ttl < 0) {
      c.out.error("ERR Invalid TTL value, must be >= 0");
      return;
    }
    byte[] payload = c.arg(3).getBytes(StandardCharsets.ISO_8859_1);
    if (!RdbReader.verifyDumpPayload(payload)) {
      c.out.error("ERR DUMP payload version or checksum are wrong");
      return;
    }
    RedisObject o = RdbReader.restore(payload, key, c.limits());
    if (o == null) {
      c.out.error("ERR Bad data format");
      return;
    }
    store(c, key, o, replace, absttl, ttl == 0 ? 0 : absttl ? ttl : ttl + c.now());
  }

  private static void store(Call c, String key, RedisObject o, boolean replace, boolean absttl, long expireAtMs) {
    boolean deleted = replace && c.delete(key);
    if (expireAtMs != 0 && expireAtMs <= c.now()) { // checkAlreadyExpired: nothing to add
      if (deleted) {
        c.propagateAs("DEL", key);
        c.modified(key);
        c.dirty(1);
      } else {
        c.noPropagation();
      }
      c.out.ok();
      return;
    }
    c.add(key, o);
    if (expireAtMs != 0) {
      c.db().setExpire(key, expireAtMs);
      if (!absttl) { // propagate the TTL as an absolute time, as Redis 7.0 does
        java.util.List<String> argv = new java.util.ArrayList<>(c.argv);
        argv.set(2, Long.toString(expireAtMs));
        argv.add("ABSTTL");
        c.propagateAs(argv);
      }
    }
    c.modified(key);
    c.dirty(1);
    c.out.ok();
  }
}
