package sim.redis.command;

import java.util.Map;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RedisObject;

/** HSET HMSET HGET HDEL HGETALL HLEN HEXISTS (t_hash.c, 7.0). */
final class HashCommands {
  private HashCommands() {}

  static void hset(Call c) {
    if (c.argc() % 2 == 1) {
      c.out.error(Errors.arity(c.command.name()));
      return;
    }
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RHash.class)) return;
    RHash h = (RHash) o;
    if (h == null) {
      h = new RHash();
      c.db().put(key, h);
    }
    long created = 0;
    for (int i = 2; i < c.argc(); i += 2) if (h.put(c.arg(i), c.arg(i + 1))) created++;
    c.dirty((c.argc() - 2) / 2);
    if (c.command.name().equals("hmset")) c.out.ok();
    else c.out.integer(created);
  }

  static void hget(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RHash.class)) return;
    c.out.bulk(o == null ? null : ((RHash) o).map().get(c.arg(2)));
  }

  static void hdel(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RHash.class)) return;
    if (o == null) {
      c.out.integer(0);
      return;
    }
    RHash h = (RHash) o;
    long deleted = 0;
    for (int i = 2; i < c.argc(); i++) {
      if (h.map().remove(c.arg(i)) != null) deleted++;
      if (h.map().isEmpty()) {
        c.db().delete(key);
        break;
      }
    }
    c.dirty(deleted);
    c.out.integer(deleted);
  }

  static void hgetall(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RHash.class)) return;
    if (o == null) {
      c.out.arrayHeader(0);
      return;
    }
    Map<String, String> m = ((RHash) o).map();
    c.out.arrayHeader(m.size() * 2);
    for (Map.Entry<String, String> e : m.entrySet()) {
      c.out.bulk(e.getKey());
      c.out.bulk(e.getValue());
    }
  }

  static void hlen(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RHash.class)) return;
    c.out.integer(o == null ? 0 : ((RHash) o).map().size());
  }

  static void hexists(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RHash.class)) return;
    c.out.integer(o != null && ((RHash) o).map().containsKey(c.arg(2)) ? 1 : 0);
  }
}
