package sim.redis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import sim.redis.testing.LocalRedis;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RequiresRealRedis;
import sim.redis.testing.RespClient;

/**
 * Random command sequences sent to a real redis-server 7.0 and to our model give byte-identical replies.
 * Only hash-table iteration order is normalized (KEYS, and SMEMBERS/HGETALL of hashtable-encoded keys);
 * everything else, error texts and OBJECT ENCODING included, must match exactly.
 */
@AddLifecycleHook(RequiresRealRedis.class)
class DifferentialProperties {
  private static RealRedis real;

  @BeforeContainer
  static void startReal() throws Exception {
    RealRedis.require();
    real = RealRedis.start(Files.createTempDirectory("redis-diff"));
  }

  @AfterContainer
  static void stopReal() {
    if (real != null) real.close();
  }

  @Property(tries = 1000)
  void sameRepliesAsRealRedis(@ForAll("sequences") List<List<String>> commands) throws IOException {
    LocalRedis ours = LocalRedis.started(LocalRedis.noPersistence());
    try (RespClient theirs = real.client()) {
      theirs.call("FLUSHALL");
      List<String> history = new ArrayList<>();
      List<List<String>> queued = new ArrayList<>();
      boolean inMulti = false;
      for (List<String> cmd : commands) {
        String theirReply = theirs.call(cmd);
        ours.nowMs = System.currentTimeMillis();
        String ourReply = ours.call(cmd);
        String name = cmd.get(0).toUpperCase();
        String expected;
        String actual;
        if (name.equals("EXEC") && inMulti) {
          expected = normalizeExec(ours, queued, theirReply);
          actual = normalizeExec(ours, queued, ourReply);
        } else {
          expected = normalize(ours, cmd, theirReply);
          actual = normalize(ours, cmd, ourReply);
        }
        if (name.equals("MULTI") && theirReply.equals("+OK\r\n")) {
          inMulti = true;
          queued.clear();
        } else if (name.equals("EXEC") || name.equals("DISCARD")) {
          inMulti = false;
        } else if (inMulti && theirReply.equals("+QUEUED\r\n")) {
          queued.add(cmd);
        }
        history.add(String.join(" ", cmd));
        assertEquals(show(expected), show(actual), "after:\n  " + String.join("\n  ", history));
      }
    }
  }

  @Provide
  Arbitrary<List<List<String>>> sequences() {
    return Arbitraries.randomValue(DifferentialProperties::command).list().ofMinSize(1).ofMaxSize(40);
  }

  private static final String[] KEYS = {"k1", "k2", "k3", "n"};
  private static final String[] VALUES = {"a", "bb", "0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808",
      "3.5", "x y", "010", "", " 1", "18446744073709551616", "héllo", "L".repeat(70), "m".repeat(44), "n".repeat(45)};
  private static final String[] SCORES = {"1", "2.5", "-3", "inf", "-inf", "+inf", "abc", "0", "1e3", ".5", "1.1", "nan", "1e400", "3"};
  private static final String[] INDEXES = {"0", "1", "2", "-1", "-2", "-100", "100", "x"};

  static List<String> command(Random r) {
    String k = pick(r, KEYS);
    String v = pick(r, VALUES);
    List<String> c = new ArrayList<>();
    switch (r.nextInt(47)) {
      case 0 -> c.addAll(List.of("GET", k));
      case 1, 2 -> {
        c.addAll(List.of("SET", k, v));
        for (int i = r.nextInt(3); i > 0; i--) {
          c.addAll(pick(r, new String[][] {{"NX"}, {"XX"}, {"GET"}, {"KEEPTTL"}, {"EX", "100"}, {"PX", "100000"},
              {"EX", "0"}, {"ex", "abc"}, {"FOO"}, {"EXAT", "99999999999"}}));
        }
      }
      case 3 -> c.addAll(List.of("MGET", k, pick(r, KEYS)));
      case 4 -> c.addAll(r.nextBoolean() ? List.of("MSET", k, v, pick(r, KEYS), pick(r, VALUES)) : List.of("MSET", k, v, k));
      case 5 -> c.addAll(List.of("INCR", k));
      case 6 -> c.addAll(List.of(r.nextBoolean() ? "INCRBY" : "DECRBY", k, v));
      case 7 -> c.addAll(List.of("DECR", k));
      case 8 -> c.addAll(List.of("APPEND", k, v));
      case 9 -> c.addAll(List.of("STRLEN", k));
      case 10 -> c.addAll(List.of("DEL", k, pick(r, KEYS)));
      case 11 -> c.addAll(List.of("EXISTS", k, k, pick(r, KEYS)));
      case 12 -> c.addAll(List.of("TYPE", k));
      case 13 -> c.addAll(List.of("KEYS", pick(r, new String[] {"*", "k*", "?", "k[12]", "[^k]*", "n"})));
      case 14 -> {
        c.addAll(List.of(r.nextBoolean() ? "EXPIRE" : "PEXPIRE", k, pick(r, new String[] {"100", "100000", "-1", "x", "0"})));
        if (r.nextInt(3) == 0) c.add(pick(r, new String[] {"NX", "XX", "GT", "LT", "FOO"}));
        if (r.nextInt(5) == 0) c.add(pick(r, new String[] {"NX", "XX", "GT", "LT"}));
      }
      case 15 -> c.addAll(List.of("TTL", k));
      case 16 -> c.addAll(List.of("PERSIST", k));
      case 17, 18 -> {
        c.addAll(List.of(r.nextBoolean() ? "LPUSH" : "RPUSH", k, v));
        if (r.nextBoolean()) c.add(pick(r, VALUES));
      }
      case 19 -> {
        c.addAll(List.of(r.nextBoolean() ? "LPOP" : "RPOP", k));
        if (r.nextBoolean()) c.add(pick(r, new String[] {"0", "1", "2", "5", "-1", "x"}));
      }
      case 20, 21 -> c.addAll(List.of("LRANGE", k, pick(r, INDEXES), pick(r, INDEXES)));
      case 22 -> c.addAll(List.of("LLEN", k));
      case 23, 24 -> {
        c.addAll(List.of(r.nextBoolean() ? "HSET" : "HMSET", k, pick(r, VALUES), v));
        if (r.nextInt(3) == 0) c.addAll(List.of(pick(r, VALUES), pick(r, VALUES)));
        if (r.nextInt(6) == 0) c.add("odd");
      }
      case 25 -> c.addAll(List.of("HGET", k, pick(r, VALUES)));
      case 26 -> c.addAll(List.of("HDEL", k, pick(r, VALUES), pick(r, VALUES)));
      case 27 -> c.addAll(List.of(pick(r, new String[] {"HGETALL", "HLEN"}), k));
      case 28 -> c.addAll(List.of("HEXISTS", k, pick(r, VALUES)));
      case 29, 30 -> {
        c.addAll(List.of("SADD", k, v));
        if (r.nextBoolean()) c.add(pick(r, VALUES));
      }
      case 31 -> c.addAll(List.of("SREM", k, v));
      case 32 -> c.addAll(List.of(pick(r, new String[] {"SMEMBERS", "SCARD"}), k));
      case 33 -> c.addAll(List.of("SISMEMBER", k, v));
      case 34, 35 -> {
        c.addAll(List.of("ZADD", k));
        for (int i = r.nextInt(3); i > 0; i--) c.add(pick(r, new String[] {"NX", "XX", "GT", "LT", "CH", "INCR"}));
        c.addAll(List.of(pick(r, SCORES), pick(r, VALUES)));
        if (r.nextInt(3) == 0) c.addAll(List.of(pick(r, SCORES), pick(r, VALUES)));
        if (r.nextInt(8) == 0) c.add("dangling");
      }
      case 36 -> c.addAll(List.of("ZREM", k, v));
      case 37 -> c.addAll(List.of(pick(r, new String[] {"ZSCORE", "ZRANK"}), k, v));
      case 38 -> c.addAll(List.of("ZCARD", k));
      case 46 -> c.addAll(List.of("OBJECT", "ENCODING", k));
      case 44, 45 -> {
        boolean lex = r.nextBoolean();
        String[] ends = lex ? new String[] {"-", "+", "[a", "(bb", "[", "a", "(0", "[9"} : new String[] {"-inf", "+inf", "(1", "2.5", "x", "(", "0", "(inf", "3", "-3"};
        c.addAll(List.of("ZRANGE", k, pick(r, ends), pick(r, ends), lex ? "BYLEX" : "BYSCORE"));
        if (r.nextBoolean()) c.add("REV");
        if (r.nextBoolean()) c.addAll(List.of("LIMIT", pick(r, new String[] {"0", "1", "-1", "x"}), pick(r, new String[] {"1", "2", "-1", "0"})));
        if (r.nextInt(3) == 0) c.add("WITHSCORES");
      }
      case 39, 40 -> {
        c.addAll(List.of("ZRANGE", k, pick(r, INDEXES), pick(r, INDEXES)));
        if (r.nextBoolean()) c.add(pick(r, new String[] {"WITHSCORES", "REV", "withscores", "LIMIT", "BOGUS"}));
        if (r.nextInt(4) == 0) c.add("WITHSCORES");
      }
      case 41 -> c.addAll(pick(r, new String[][] {{"MULTI"}, {"EXEC"}, {"DISCARD"}, {"MULTI"}}) );
      case 42 -> c.addAll(pick(r, new String[][] {{"SELECT", "1"}, {"SELECT", "0"}, {"SELECT", "16"}, {"SELECT", "x"},
          {"DBSIZE"}, {"PING"}, {"PING", "hi"}, {"ECHO", "e"}, {"FLUSHDB"}, {"PING", "a", "b"}}));
      case 43 -> c.addAll(pick(r, new String[][] {{"FOO", "a", "b"}, {"GET"}, {"get", "a", "b"}, {"hset", "h"}, {"lpop", "k1", "1", "2"},
          {"FLUSHDB", "x"}, {"zadd", "z", "xx", "nx", "1", "m"}, {"zadd", "z", "incr", "1", "a", "2", "b"}}) );
    }
    return c;
  }

  private static String pick(Random r, String[] a) {
    return a[r.nextInt(a.length)];
  }

  private static List<String> pick(Random r, String[][] a) {
    return List.of(a[r.nextInt(a.length)]);
  }

  /**
   * Sorts the elements of replies whose order is a hash table's: KEYS always, SMEMBERS and HGETALL (by
   * field-value pair) when the key is hashtable-encoded. Our encoding tracking is itself checked against
   * Redis by OBJECT ENCODING in the same sequences, so intset and listpack orders are compared exactly.
   */
  private static String normalize(LocalRedis ours, List<String> cmd, String reply) {
    String name = cmd.get(0).toUpperCase();
    if (!reply.startsWith("*") || reply.startsWith("*-1")) return reply;
    boolean hashtable = cmd.size() > 1 && ours.server.keyspace().db(ours.client.db()).get(cmd.get(1)) != null
        && ours.server.keyspace().db(ours.client.db()).get(cmd.get(1)).encoding().equals("hashtable");
    int group;
    if (name.equals("KEYS")) group = 1;
    else if (name.equals("SMEMBERS") && hashtable) group = 1;
    else if (name.equals("HGETALL") && hashtable) group = 2;
    else return reply;
    int p = reply.indexOf("\r\n") + 2;
    String header = reply.substring(0, p);
    List<String> items = new ArrayList<>();
    while (p < reply.length()) {
      int end = p;
      for (int g = 0; g < group; g++) end = endOf(reply, end);
      items.add(reply.substring(p, end));
      p = end;
    }
    Collections.sort(items);
    return header + String.join("", items);
  }

  /** EXEC's array with each queued KEYS/SMEMBERS reply normalized. */
  private static String normalizeExec(LocalRedis ours, List<List<String>> queued, String reply) {
    if (!reply.startsWith("*") || reply.startsWith("*-1")) return reply;
    int p = reply.indexOf("\r\n") + 2;
    StringBuilder out = new StringBuilder(reply.substring(0, p));
    for (int i = 0; p < reply.length(); i++) {
      int end = endOf(reply, p);
      String element = reply.substring(p, end);
      out.append(i < queued.size() ? normalize(ours, queued.get(i), element) : element);
      p = end;
    }
    return out.toString();
  }

  /** Index just past the RESP element starting at {@code p}. */
  private static int endOf(String r, int p) {
    int nl = r.indexOf("\r\n", p);
    char type = r.charAt(p);
    if (type == '$') {
      int len = Integer.parseInt(r.substring(p + 1, nl));
      return len < 0 ? nl + 2 : nl + 2 + len + 2;
    }
    if (type == '*') {
      int n = Integer.parseInt(r.substring(p + 1, nl));
      int q = nl + 2;
      for (int i = 0; i < n; i++) q = endOf(r, q);
      return q;
    }
    return nl + 2;
  }

  private static String show(String reply) {
    return reply.replace("\r\n", "\\r\\n ");
  }
}
