package sim.redis.aof;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;
import sim.redis.resp.RespOut;

/**
 * rewriteAppendOnlyFileRio with {@code aof-use-rdb-preamble no}: the dataset as commands (SELECT, SET,
 * RPUSH, SADD, ZADD, HMSET, PEXPIREAT), batched 64 items per command like AOF_REWRITE_ITEMS_PER_CMD.
 */
public final class AofRewriter {
  private static final int ITEMS_PER_CMD = 64;

  private AofRewriter() {}

  public static byte[] commands(Keyspace ks) {
    RespOut out = new RespOut(4096);
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      emit(out, List.of("SELECT", Integer.toString(i)));
      for (Map.Entry<String, RedisObject> e : db.dict().entrySet()) {
        object(out, e.getKey(), e.getValue());
        long at = db.expireAtMs(e.getKey());
        if (at >= 0) emit(out, List.of("PEXPIREAT", e.getKey(), Long.toString(at)));
      }
    }
    return out.toByteArray();
  }

  private static void object(RespOut out, String key, RedisObject o) {
    if (o instanceof RString s) {
      emit(out, List.of("SET", key, s.value()));
      return;
    }
    List<String> items = new ArrayList<>();
    String cmd;
    if (o instanceof RList l) {
      cmd = "RPUSH";
      for (int i = 0; i < l.size(); i++) items.add(l.get(i));
    } else if (o instanceof RSet s) {
      cmd = "SADD";
      items.addAll(s.members());
    } else if (o instanceof RHash h) {
      cmd = "HMSET";
      h.map().forEach((f, v) -> {
        items.add(f);
        items.add(v);
      });
    } else {
      cmd = "ZADD";
      for (RZSet.Entry e : ((RZSet) o).entries()) {
        items.add(Numbers.formatDouble(e.score()));
        items.add(e.member());
      }
    }
    int per = cmd.equals("HMSET") || cmd.equals("ZADD") ? 2 : 1;
    for (int i = 0; i < items.size(); i += ITEMS_PER_CMD * per) {
      List<String> argv = new ArrayList<>(List.of(cmd, key));
      argv.addAll(items.subList(i, Math.min(items.size(), i + ITEMS_PER_CMD * per)));
      emit(out, argv);
    }
  }

  private static void emit(RespOut out, List<String> argv) {
    out.arrayHeader(argv.size());
    for (String a : argv) out.bulk(a);
  }
}
