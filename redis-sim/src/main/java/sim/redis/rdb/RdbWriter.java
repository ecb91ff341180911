package sim.redis.rdb;

import static sim.redis.rdb.RdbConstants.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RStream;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.StreamId;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/**
 * Serializes a keyspace as Redis 7.0's rdbSaveRio does: "REDIS0010", aux fields, per non-empty database
 * SELECTDB + RESIZEDB + keys (EXPIRETIME_MS before volatile ones), EOF, CRC-64. Objects use the encodings
 * Redis 7.0 would: quicklist of listpacks for lists, intset or plain sets, listpack or plain hashes and
 * listpack or skiplist (ZSET_2) sorted sets; strings as int, LZF (over 20 bytes) or raw.
 */
public final class RdbWriter {
  /** list-max-listpack-size -2: each quicklist node's listpack holds at most 8 KB. */
  private static final int QUICKLIST_NODE_BYTES = 8192;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final boolean compression;

  private RdbWriter(boolean compression) {
    this.compression = compression;
  }

  /** The complete file. {@code ctimeSeconds} goes into the "ctime" aux field; aofBase marks an AOF preamble. */
  public static byte[] write(Keyspace ks, long ctimeSeconds, boolean aofBase, boolean compression, boolean checksum) {
    RdbWriter w = new RdbWriter(compression);
    w.raw(("REDIS" + String.format("%04d", RDB_VERSION)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    w.aux("redis-ver", "7.0.15");
    w.aux("redis-bits", "64");
    w.aux("ctime", Long.toString(ctimeSeconds));
    w.aux("used-mem", Long.toString(1_000_000 + ks.totalKeys() * 100));
    w.aux("aof-base", aofBase ? "1" : "0");
    for (int i = 0; i < Keyspace.DATABASES; i++) w.db(ks.db(i));
    w.out.write(OPCODE_EOF);
    byte[] body = w.out.toByteArray();
    long crc = checksum ? Crc64.of(body, 0, body.length) : 0;
    byte[] file = java.util.Arrays.copyOf(body, body.length + 8);
    Listpack.putLe(file, body.length, crc, 8);
    return file;
  }

  /**
   * createDumpPayload: the object as rdbSaveObjectType + rdbSaveObject, then the 2-byte RDB version and the CRC-64
   * of everything before it (little-endian), as DUMP returns it and RESTORE / MIGRATE carry it. The writer
   * serialises a key with its value, so the key's encoding is cut out after the type byte.
   */
  public static byte[] dump(RedisObject o) {
    RdbWriter w = new RdbWriter(true);
    w.object("", o);
    byte[] withKey = w.out.toByteArray();
    RdbWriter k = new RdbWriter(true);
    k.string("");
    int keyBytes = k.out.size();
    byte[] payload = new byte[withKey.length - keyBytes + 10];
    payload[0] = withKey[0];
    System.arraycopy(withKey, 1 + keyBytes, payload, 1, withKey.length - 1 - keyBytes);
    int at = payload.length - 10;
    Listpack.putLe(payload, at, RDB_VERSION, 2);
    Listpack.putLe(payload, at + 2, Crc64.of(payload, 0, at + 2), 8);
    return payload;
  }

  private void db(Db db) {
    if (db.size() == 0) return;
    out.write(OPCODE_SELECTDB);
    len(db.id);
    out.write(OPCODE_RESIZEDB);
    len(db.size());
    len(db.expiresSize());
    db.forEach((key, value) -> {
      long at = db.expireAtMs(key);
      if (at >= 0) {
        out.write(OPCODE_EXPIRETIME_MS);
        le8(at);
      }
      object(key, value);
    });
  }

  private void object(String key, RedisObject o) {
    if (o instanceof RString s) {
      out.write(TYPE_STRING);
      string(key);
      string(s.value());
    } else if (o instanceof RList l) {
      out.write(TYPE_LIST_QUICKLIST_2);
      string(key);
      quicklist(l);
    } else if (o instanceof RSet s) {
      set(key, s);
    } else if (o instanceof RHash h) {
      hash(key, h);
    } else if (o instanceof RStream st) {
      out.write(TYPE_STREAM_LISTPACKS_2);
      string(key);
      stream(st);
    } else {
      zset(key, (RZSet) o);
    }
  }

  private void quicklist(RList l) {
    List<byte[]> nodes = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    int bytes = 7;
    for (int i = 0; i < l.size(); i++) {
      String v = l.get(i);
      int entry = v.length() + 11;
      if (!cur.isEmpty() && bytes + entry > QUICKLIST_NODE_BYTES) {
        nodes.add(Listpack.encode(cur));
        cur = new ArrayList<>();
        bytes = 7;
      }
      cur.add(v);
      bytes += entry;
    }
    if (!cur.isEmpty()) nodes.add(Listpack.encode(cur));
    len(nodes.size());
    for (byte[] node : nodes) {
      len(QUICKLIST_NODE_PACKED);
      string(latin1(node));
    }
  }

  private void set(String key, RSet s) {
    if (s.isIntset()) {
      out.write(TYPE_SET_INTSET);
      string(key);
      List<Long> ints = new ArrayList<>();
      for (String m : s.members()) ints.add(Long.parseLong(m));
      string(latin1(Intset.encode(ints)));
      return;
    }
    out.write(TYPE_SET);
    string(key);
    List<String> members = s.members();
    len(members.size());
    for (String m : members) string(m);
  }

  private void hash(String key, RHash h) {
    if (h.isListpack()) {
      out.write(TYPE_HASH_LISTPACK);
      string(key);
      List<String> flat = new ArrayList<>();
      h.forEach((f, v) -> {
        flat.add(f);
        flat.add(v);
      });
      string(latin1(Listpack.encode(flat)));
      return;
    }
    out.write(TYPE_HASH);
    string(key);
    len(h.size());
    h.forEach((f, v) -> {
      string(f);
      string(v);
    });
  }

  private void zset(String key, RZSet z) {
    List<RZSet.Entry> entries = z.entries();
    if (z.isListpack()) {
      out.write(TYPE_ZSET_LISTPACK);
      string(key);
      List<String> flat = new ArrayList<>();
      for (RZSet.Entry e : entries) {
        flat.add(e.member());
        flat.add(scoreString(e.score()));
      }
      string(latin1(Listpack.encode(flat)));
      return;
    }
    out.write(TYPE_ZSET_2);
    string(key);
    len(entries.size());
    for (int i = entries.size() - 1; i >= 0; i--) { // Redis writes from the tail so loading prepends
      string(entries.get(i).member());
      byte[] b = new byte[8];
      Listpack.putLe(b, 0, Double.doubleToRawLongBits(entries.get(i).score()), 8);
      raw(b);
    }
  }

  /** rdbSaveObject for OBJ_STREAM (RDB_TYPE_STREAM_LISTPACKS_2). */
  private void stream(RStream s) {
    len(s.nodes().size());
    for (RStream.Node n : s.nodes().values()) {
      string(latin1(rawId(n.master())));
      string(latin1(Listpack.encode(n.listpackElements())));
    }
    len(s.length());
    len(s.lastId().ms());
    len(s.lastId().seq());
    len(s.firstId().ms());
    len(s.firstId().seq());
    len(s.maxDeletedId().ms());
    len(s.maxDeletedId().seq());
    len(s.entriesAdded());
    len(s.groups().size());
    for (RStream.Group g : s.groups().values()) {
      string(g.name);
      len(g.lastId.ms());
      len(g.lastId.seq());
      len(g.entriesRead);
      len(g.pel.size());
      for (Map.Entry<StreamId, RStream.Nack> e : g.pel.entrySet()) {
        raw(rawId(e.getKey()));
        le8(e.getValue().deliveryTimeMs);
        len(e.getValue().deliveryCount);
      }
      len(g.consumers.size());
      for (RStream.Consumer c : g.consumers.values()) {
        string(c.name);
        le8(c.seenTimeMs);
        len(c.pel.size());
        for (StreamId id : c.pel.keySet()) raw(rawId(id));
      }
    }
  }

  /** streamEncodeID: 128 bits big-endian. */
  static byte[] rawId(StreamId id) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (id.ms() >>> (56 - 8 * i));
      b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
    }
    return b;
  }

  private void le8(long v) {
    byte[] b = new byte[8];
    Listpack.putLe(b, 0, v, 8);
    raw(b);
  }

  /** d2string: integral scores as integers, others with 17 significant digits. */
  static String scoreString(double d) {
    return Numbers.d2string(d);
  }

  private void aux(String key, String value) {
    out.write(OPCODE_AUX);
    string(key);
    string(value);
  }

  /** rdbSaveRawString: int encoding for short canonical integers, LZF over 20 bytes when it saves, else raw. */
  private void string(String s) {
    int n = s.length();
    if (n <= 11) {
      Long v = Numbers.parseLong(s);
      if (v != null && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        int x = (int) (long) v;
        if (x >= -128 && x <= 127) {
          out.write(0xC0 | ENC_INT8);
          out.write(x);
        } else if (x >= -32768 && x <= 32767) {
          out.write(0xC0 | ENC_INT16);
          out.write(x);
          out.write(x >> 8);
        } else {
          out.write(0xC0 | ENC_INT32);
          for (int i = 0; i < 4; i++) out.write(x >> (8 * i));
        }
        return;
      }
    }
    byte[] bytes = bytes(s);
    if (compression && n > 20) {
      byte[] c = Lzf.compress(bytes, n - 4);
      if (c != null) {
        out.write(0xC0 | ENC_LZF);
        len(c.length);
        len(n);
        raw(c);
        return;
      }
    }
    len(n);
    raw(bytes);
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit big-endian or 64-bit big-endian lengths. */
  private void len(long n) {
    if (n < 64) {
      out.write((int) n);
    } else if (n < 16384) {
      out.write((int) (0x40 | (n >> 8)));
      out.write((int) n);
    } else if (n <= 0xFFFFFFFFL) {
      out.write(0x80);
      for (int i = 3; i >= 0; i--) out.write((int) (n >> (8 * i)));
    } else {
      out.write(0x81);
      for (int i = 7; i >= 0; i--) out.write((int) (n >> (8 * i)));
    }
  }

  private void raw(byte[] b) {
    out.write(b, 0, b.length);
  }

  static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  static String latin1(byte[] b) {
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
