package sim.redis.command;

import java.util.List;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RedisObject;

/** SADD SREM SMEMBERS SISMEMBER SCARD (t_set.c, 7.0). */
final class SetCommands {
  private SetCommands() {}

  static void sadd(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RSet.class)) return;
    RSet s = (RSet) o;
    if (s == null) {
      s = new RSet();
      c.db().put(key, s);
    }
    long added = 0;
    for (int i = 2; i < c.argc(); i++) if (s.add(c.arg(i))) added++;
    c.dirty(added);
    c.out.integer(added);
  }

  static void srem(Call c) {
    String key = c.arg(1);
    RedisObject o = c.lookup(key);
    if (c.wrongType(o, RSet.class)) return;
    if (o == null) {
      c.out.integer(0);
      return;
    }
    RSet s = (RSet) o;
    long removed = 0;
    for (int i = 2; i < c.argc(); i++) {
      if (s.remove(c.arg(i))) removed++;
      if (s.size() == 0) {
        c.db().delete(key);
        break;
      }
    }
    c.dirty(removed);
    c.out.integer(removed);
  }

  static void smembers(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RSet.class)) return;
    List<String> members = o == null ? List.of() : ((RSet) o).members();
    c.out.arrayHeader(members.size());
    for (String m : members) c.out.bulk(m);
  }

  static void sismember(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RSet.class)) return;
    c.out.integer(o != null && ((RSet) o).contains(c.arg(2)) ? 1 : 0);
  }

  static void scard(Call c) {
    RedisObject o = c.lookup(c.arg(1));
    if (c.wrongType(o, RSet.class)) return;
    c.out.integer(o == null ? 0 : ((RSet) o).size());
  }
}
