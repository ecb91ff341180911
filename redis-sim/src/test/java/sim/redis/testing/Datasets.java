package sim.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/** Reads a whole dataset through commands, in a canonical form two servers can be compared by. */
public final class Datasets {
  @FunctionalInterface
  public interface Caller {
    String call(List<String> argv) throws IOException;
  }

  private Datasets() {}

  public static TreeMap<String, String> describe(Caller c) {
    try {
      TreeMap<String, String> out = new TreeMap<>();
      for (int db = 0; db < 16; db++) {
        c.call(List.of("SELECT", Integer.toString(db)));
        for (String key : items(c.call(List.of("KEYS", "*")))) {
          String type = c.call(List.of("TYPE", key)).trim();
          String value = switch (type) {
            case "+string" -> c.call(List.of("GET", key));
            case "+list" -> c.call(List.of("LRANGE", key, "0", "-1"));
            case "+hash" -> pairs(c.call(List.of("HGETALL", key)));
            case "+set" -> sorted(c.call(List.of("SMEMBERS", key)));
            case "+zset" -> c.call(List.of("ZRANGE", key, "0", "-1", "WITHSCORES"));
            default -> "?";
          };
          long pttl = Long.parseLong(c.call(List.of("PTTL", key)).substring(1).trim());
          out.put(db + ":" + key, type + " " + value + (pttl >= 0 ? " ttl~" + Math.round(pttl / 60_000.0) + "min" : ""));
        }
      }
      c.call(List.of("SELECT", "0"));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TreeMap<String, String> describe(RespClient client) {
    return describe(client::call);
  }

  public static TreeMap<String, String> describe(LocalRedis local) {
    return describe(local::call);
  }

  /** The bulk strings of a flat array reply. */
  public static List<String> items(String reply) {
    List<String> out = new ArrayList<>();
    int p = reply.indexOf("\r\n") + 2;
    while (p < reply.length()) {
      int nl = reply.indexOf("\r\n", p);
      int len = Integer.parseInt(reply.substring(p + 1, nl));
      if (len < 0) {
        out.add(null);
        p = nl + 2;
        continue;
      }
      out.add(reply.substring(nl + 2, nl + 2 + len));
      p = nl + 2 + len + 2;
    }
    return out;
  }

  private static String sorted(String reply) {
    List<String> it = items(reply);
    Collections.sort(it);
    return it.toString();
  }

  private static String pairs(String reply) {
    List<String> it = items(reply);
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < it.size(); i += 2) pairs.add(it.get(i) + "=" + it.get(i + 1));
    Collections.sort(pairs);
    return pairs.toString();
  }

  /** A dataset exercising every encoding Redis 7.0 writes: int/embstr/raw/LZF strings, small and big collections. */
  public static List<List<String>> richWorkload() {
    List<List<String>> cmds = new ArrayList<>();
    cmds.add(List.of("SET", "int", "12345"));
    cmds.add(List.of("SET", "neg", "-7"));
    cmds.add(List.of("SET", "bigint", "9223372036854775807"));
    cmds.add(List.of("SET", "short", "hello"));
    cmds.add(List.of("SET", "compressible", "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc-xyz"));
    cmds.add(List.of("SET", "binary", "\u0000\u00ff\r\n\u0080end"));
    cmds.add(List.of("SET", "ttl", "v", "EX", "3600"));
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 300; i++) big.append("line ").append(i).append(' ');
    cmds.add(List.of("SET", "long", big.toString()));
    cmds.add(List.of("RPUSH", "smalllist", "a", "1", "-300", "70000", "b"));
    List<String> bigList = new ArrayList<>(List.of("RPUSH", "biglist"));
    for (int i = 0; i < 3000; i++) bigList.add(i % 3 == 0 ? Integer.toString(i * 1000) : "element-" + i);
    cmds.add(bigList);
    cmds.add(List.of("HSET", "smallhash", "f1", "v1", "f2", "2", "f3", "-3"));
    List<String> bigHash = new ArrayList<>(List.of("HSET", "bighash"));
    for (int i = 0; i < 600; i++) bigHash.addAll(List.of("field" + i, "value" + i));
    cmds.add(bigHash);
    cmds.add(List.of("SADD", "intset", "5", "-1", "100000", "3", "9223372036854775807"));
    cmds.add(List.of("SADD", "strset", "a", "b", "c", "1"));
    List<String> bigSet = new ArrayList<>(List.of("SADD", "bigintset"));
    for (int i = 0; i < 600; i++) bigSet.add(Integer.toString(i * 7));
    cmds.add(bigSet);
    cmds.add(List.of("ZADD", "smallz", "1", "a", "2.5", "b", "-3", "c", "1e20", "d", "0.1", "e"));
    List<String> bigZ = new ArrayList<>(List.of("ZADD", "bigz"));
    for (int i = 0; i < 300; i++) bigZ.addAll(List.of(Double.toString(i * 1.5), "member" + i));
    cmds.add(bigZ);
    cmds.add(List.of("ZADD", "infz", "inf", "top", "-inf", "bottom"));
    cmds.add(List.of("SELECT", "3"));
    cmds.add(List.of("SET", "in-db-3", "x", "PX", "7200000"));
    cmds.add(List.of("LPUSH", "list3", "z", "y"));
    cmds.add(List.of("SELECT", "0"));
    return cmds;
  }
}
