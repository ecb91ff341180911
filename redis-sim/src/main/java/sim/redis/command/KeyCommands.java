package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Glob;
import sim.redis.keyspace.RedisObject;

/** DEL EXISTS TYPE KEYS EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL PERSIST (db.c, expire.c). */
final class KeyCommands {
  private KeyCommands() {}

  static void del(Call c) {
    long deleted = 0;
    for (int i = 1; i < c.argc(); i++) {
      c.lookup(c.arg(i)); // expireIfNeeded
      if (c.db().delete(c.arg(i))) deleted++;
    }
    c.dirty(deleted);
    c.out.integer(deleted);
  }

  static void exists(Call c) {
    long n = 0;
    for (int i = 1; i < c.argc(); i++) if (c.lookup(c.arg(i)) != null) n++;
    c.out.integer(n);
  }

  /** OBJECT ENCODING key (the only OBJECT subcommand modelled). */
  static void object(Call c) {
    if (!c.isArg(1, "encoding") || c.argc() != 3) {
      c.out.error("ERR unknown subcommand or wrong number of arguments for '" + c.arg(1) + "'. Try OBJECT HELP.");
      return;
    }
    RedisObject o = c.lookup(c.arg(2));
    c.out.bulk(o == null ? null : o.encoding());
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
    for (String key : db.keys()) {
      if (!all && !Glob.matches(pattern, key)) continue;
      long at = db.expireAtMs(key);
      if (at >= 0 && at <= now && !c.loading()) continue; // keysCommand skips expired keys
      out.add(key);
    }
    c.out.arrayHeader(out.size());
    for (String k : out) c.out.bulk(k);
  }

  static void expire(Call c) {
    expireGeneric(c, c.now(), true);
  }

  static void pexpire(Call c) {
    expireGeneric(c, c.now(), false);
  }

  static void expireat(Call c) {
    expireGeneric(c, 0, true);
  }

  static void pexpireat(Call c) {
    expireGeneric(c, 0, false);
  }

  /** expireGenericCommand (expire.c, 7.0) including the NX XX GT LT options. */
  private static void expireGeneric(Call c, long basetime, boolean seconds) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    for (int j = 3; j < c.argc(); j++) {
      String opt = c.arg(j);
      if (opt.equalsIgnoreCase("nx")) nx = true;
      else if (opt.equalsIgnoreCase("xx")) xx = true;
      else if (opt.equalsIgnoreCase("gt")) gt = true;
      else if (opt.equalsIgnoreCase("lt")) lt = true;
      else {
        c.out.error("ERR Unsupported option " + opt);
        return;
      }
    }
    if ((nx && xx) || (nx && gt) || (nx && lt)) {
      c.out.error("ERR NX and XX, GT or LT options at the same time are not compatible");
      return;
    }
    if (gt && lt) {
      c.out.error("ERR GT and LT options at the same time are not compatible");
      return;
    }
    Long when = c.longArg(2);
    if (when == null) return;
    long w = when;
    if (seconds) {
      if (w > Long.MAX_VALUE / 1000 || w < Long.MIN_VALUE / 1000) {
        c.out.error(Errors.invalidExpire(c.command.name()));
        return;
      }
      w *= 1000;
    }
    if (w > Long.MAX_VALUE - basetime) {
      c.out.error(Errors.invalidExpire(c.command.name()));
      return;
    }
    w += basetime;
    String key = c.arg(1);
    if (c.lookup(key) == null) {
      c.out.integer(0);
      return;
    }
    long current = c.db().expireAtMs(key);
    if ((nx && current != -1) || (xx && current == -1) || (gt && (w <= current || current == -1))
        || (lt && current != -1 && w >= current)) {
      c.out.integer(0);
      return;
    }
    if (w <= c.now() && !c.loading()) { // checkAlreadyExpired: delete now, propagate DEL
      c.db().delete(key);
      c.dirty(1);
      c.propagateAs(List.of("DEL", key));
    } else {
      c.db().setExpire(key, w);
      c.dirty(1);
      c.propagateAs(List.of("PEXPIREAT", key, Long.toString(w)));
    }
    c.out.integer(1);
  }

  static void ttl(Call c) {
    ttlGeneric(c, false);
  }

  static void pttl(Call c) {
    ttlGeneric(c, true);
  }

  private static void ttlGeneric(Call c, boolean millis) {
    String key = c.arg(1);
    if (c.lookup(key) == null) {
      c.out.integer(-2);
      return;
    }
    long at = c.db().expireAtMs(key);
    if (at == -1) {
      c.out.integer(-1);
      return;
    }
    long ttl = Math.max(0, at - c.now());
    c.out.integer(millis ? ttl : (ttl + 500) / 1000);
  }

  static void persist(Call c) {
    String key = c.arg(1);
    if (c.lookup(key) == null || !c.db().removeExpire(key)) {
      c.out.integer(0);
      return;
    }
    c.dirty(1);
    c.out.integer(1);
  }
}
