package sim.redis.rdb;

import static sim.redis.rdb.RdbConstants.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.Numbers;

/**
 * Loads an RDB file (rdbLoadRio, Redis 7.0): versions 1..10, aux fields, SELECTDB, RESIZEDB, expire, LRU
 * and LFU opcodes, every string encoding, and the object encodings Redis 7.0 writes (plain, intset,
 * listpack, quicklist of listpacks). Ziplist-era encodings (RDB ≤ 9), modules, streams and functions are
 * refused with a message naming the key and the type. Any damage throws RdbException with the offset.
 */
public final class RdbReader {
  /** What was loaded: the dataset with every key's expire (expired keys included; the caller decides). */
  public record Result(Keyspace keyspace, Map<String, String> aux, int version, long bytesRead) {}

  private final byte[] b;
  private int p;
  private final String source;

  private RdbReader(byte[] data, int offset, String source) {
    this.b = data;
    this.p = offset;
    this.source = source;
  }

  public static Result read(byte[] data, String source) {
    return read(data, 0, source);
  }

  /** Reads one RDB starting at {@code offset} (an AOF base file starts with one, then commands follow). */
  public static Result read(byte[] data, int offset, String source) {
    RdbReader r = new RdbReader(data, offset, source);
    try {
      return r.load();
    } catch (RdbException e) {
      if (e.getMessage().contains(source)) throw e;
      throw r.error(e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) { // a damaged length or encoding that slipped past the checks
      throw r.error("malformed RDB data: " + e);
    }
  }

  public static boolean looksLikeRdb(byte[] data) {
    return data.length >= 5 && new String(data, 0, 5, StandardCharsets.US_ASCII).equals("REDIS");
  }

  private Result load() {
    int start = p;
    need(9);
    String magic = new String(b, p, 9, StandardCharsets.US_ASCII);
    if (!magic.startsWith("REDIS")) throw error("Wrong signature trying to load DB from file");
    int version;
    try {
      version = Integer.parseInt(magic.substring(5));
    } catch (NumberFormatException e) {
      throw error("Wrong signature trying to load DB from file");
    }
    if (version < 1 || version > RDB_VERSION) throw error("Can't handle RDB format version " + version);
    p += 9;
    Keyspace ks = new Keyspace();
    Map<String, String> aux = new TreeMap<>();
    Db db = ks.db(0);
    long expireAt = -1;
    while (true) {
      int type = u8();
      if (type == OPCODE_EXPIRETIME) {
        expireAt = le(4) * 1000;
        continue;
      } else if (type == OPCODE_EXPIRETIME_MS) {
        expireAt = le(8);
        continue;
      } else if (type == OPCODE_FREQ) {
        u8();
        continue;
      } else if (type == OPCODE_IDLE) {
        len();
        continue;
      } else if (type == OPCODE_EOF) {
        break;
      } else if (type == OPCODE_SELECTDB) {
        long id = len();
        if (id >= Keyspace.DATABASES) throw error("FATAL: Data file was created with a Redis server configured to handle more than 16 databases. Exiting");
        db = ks.db((int) id);
        continue;
      } else if (type == OPCODE_RESIZEDB) {
        len();
        len();
        continue;
      } else if (type == OPCODE_AUX) {
        String k = string();
        aux.put(k, string());
        continue;
      } else if (type == OPCODE_MODULE_AUX) {
        throw error("the file holds module data (opcode 247), which redis-sim does not model");
      } else if (type == OPCODE_FUNCTION || type == OPCODE_FUNCTION2) {
        throw error("the file holds a FUNCTION library (opcode " + type + "), which redis-sim does not model");
      }
      int at = p - 1;
      String key = string();
      RedisObject value = object(type, key, at);
      if (db.get(key) != null) throw error("Duplicate key '" + key + "' found in RDB file");
      db.put(key, value);
      if (expireAt != -1) db.setExpire(key, expireAt);
      expireAt = -1;
    }
    if (version >= 5) {
      int crcAt = p;
      long expected = Crc64.of(b, start, crcAt - start);
      long got = le(8);
      if (got != 0 && got != expected) {
        throw new RdbException(String.format("Wrong RDB checksum expected: (%x) got: (%x). Aborting now. (%s)", got, expected, source));
      }
    }
    return new Result(ks, aux, version, p - start);
  }

  private RedisObject object(int type, String key, int at) {
    switch (type) {
      case TYPE_STRING:
        return new RString(string());
      case TYPE_LIST: {
        RList l = new RList();
        for (long n = len(); n > 0; n--) l.pushTail(string());
        return nonEmpty(l.size(), l, key, at);
      }
      case TYPE_SET: {
        RSet s = new RSet();
        for (long n = len(); n > 0; n--) s.add(string());
        return nonEmpty(s.size(), s, key, at);
      }
      case TYPE_ZSET:
      case TYPE_ZSET_2: {
        RZSet z = new RZSet();
        for (long n = len(); n > 0; n--) {
          String m = string();
          z.put(m, type == TYPE_ZSET_2 ? Double.longBitsToDouble(le(8)) : asciiDouble());
        }
        return nonEmpty(z.size(), z, key, at);
      }
      case TYPE_HASH: {
        RHash h = new RHash();
        for (long n = len(); n > 0; n--) {
          String f = string();
          h.put(f, string());
        }
        return nonEmpty(h.map().size(), h, key, at);
      }
      case TYPE_SET_INTSET: {
        RSet s = new RSet();
        for (String m : Intset.decode(blob(key))) s.add(m);
        return nonEmpty(s.size(), s, key, at);
      }
      case TYPE_HASH_LISTPACK: {
        List<String> flat = Listpack.decode(blob(key));
        if (flat.size() % 2 != 0) throw error("hash listpack of key '" + key + "' has an odd number of entries");
        RHash h = new RHash();
        for (int i = 0; i < flat.size(); i += 2) h.put(flat.get(i), flat.get(i + 1));
        return nonEmpty(h.map().size(), h, key, at);
      }
      case TYPE_ZSET_LISTPACK: {
        List<String> flat = Listpack.decode(blob(key));
        if (flat.size() % 2 != 0) throw error("zset listpack of key '" + key + "' has an odd number of entries");
        RZSet z = new RZSet();
        for (int i = 0; i < flat.size(); i += 2) {
          Double d = Numbers.parseDouble(flat.get(i + 1));
          if (d == null) throw error("zset listpack of key '" + key + "' has a bad score '" + flat.get(i + 1) + "'");
          z.put(flat.get(i), d);
        }
        return nonEmpty(z.size(), z, key, at);
      }
      case TYPE_LIST_QUICKLIST_2: {
        RList l = new RList();
        for (long nodes = len(); nodes > 0; nodes--) {
          long container = len();
          if (container == QUICKLIST_NODE_PLAIN) {
            l.pushTail(string());
          } else if (container == QUICKLIST_NODE_PACKED) {
            for (String v : Listpack.decode(blob(key))) l.pushTail(v);
          } else {
            throw error("quicklist node of key '" + key + "' has unknown container " + container);
          }
        }
        return nonEmpty(l.size(), l, key, at);
      }
      case TYPE_HASH_ZIPMAP, TYPE_LIST_ZIPLIST, TYPE_ZSET_ZIPLIST, TYPE_HASH_ZIPLIST, TYPE_LIST_QUICKLIST:
        throw error("key '" + key + "' uses ziplist-era RDB type " + type + " (Redis 6 and older), which redis-sim does not read");
      case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2:
        throw error("key '" + key + "' is a stream (RDB type " + type + "), which redis-sim does not model");
      case TYPE_MODULE_2:
        throw error("key '" + key + "' holds a module type, which redis-sim does not model");
      default:
        throw error("Unknown RDB encoding type " + type + " at offset " + at);
    }
  }

  private RedisObject nonEmpty(int size, RedisObject o, String key, int at) {
    if (size == 0) throw error("empty " + o.typeName() + " stored under key '" + key + "' at offset " + at);
    return o;
  }

  private byte[] blob(String key) {
    String s = string();
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** rdbLoadDoubleValue (RDB_TYPE_ZSET): a length byte, 253 nan, 254 +inf, 255 -inf, else ASCII digits. */
  private double asciiDouble() {
    int n = u8();
    if (n == 253) return Double.NaN;
    if (n == 254) return Double.POSITIVE_INFINITY;
    if (n == 255) return Double.NEGATIVE_INFINITY;
    need(n);
    String s = new String(b, p, n, StandardCharsets.US_ASCII);
    p += n;
    Double d = Numbers.parseDouble(s);
    if (d == null) throw error("bad double value '" + s + "'");
    return d;
  }

  private String string() {
    int at = p;
    int first = u8();
    int kind = (first & 0xC0) >> 6;
    if (kind == 3) {
      int enc = first & 0x3f;
      switch (enc) {
        case ENC_INT8:
          return Long.toString((byte) u8());
        case ENC_INT16:
          return Long.toString((short) le(2));
        case ENC_INT32:
          return Long.toString((int) le(4));
        case ENC_LZF: {
          long clen = len();
          long ulen = len();
          if (clen > b.length - p || ulen > Integer.MAX_VALUE - 8) throw error("LZF string at offset " + at + " declares impossible lengths");
          need((int) clen);
          byte[] raw;
          try {
            raw = Lzf.decompress(b, p, (int) clen, (int) ulen);
          } catch (RdbException e) {
            throw error("Invalid LZF compressed string at offset " + at + ": " + e.getMessage());
          }
          p += (int) clen;
          return new String(raw, StandardCharsets.ISO_8859_1);
        }
        default:
          throw error("Unknown RDB string encoding type " + enc + " at offset " + at);
      }
    }
    p = at;
    long n = len();
    if (n > b.length - p) throw error("string at offset " + at + " of " + n + " bytes runs past the end of the file");
    String s = new String(b, p, (int) n, StandardCharsets.ISO_8859_1);
    p += (int) n;
    return s;
  }

  private long len() {
    int at = p;
    int first = u8();
    int kind = (first & 0xC0) >> 6;
    if (kind == 0) return first & 0x3f;
    if (kind == 1) return ((first & 0x3f) << 8) | u8();
    if (first == 0x80) return be(4);
    if (first == 0x81) return be(8);
    throw error("Unknown length encoding " + first + " in rdbLoadLen() at offset " + at);
  }

  private int u8() {
    need(1);
    return b[p++] & 0xff;
  }

  private long le(int width) {
    need(width);
    long v = Listpack.le(b, p, width);
    p += width;
    return v;
  }

  private long be(int width) {
    need(width);
    long v = 0;
    for (int i = 0; i < width; i++) v = (v << 8) | (b[p + i] & 0xff);
    p += width;
    return v;
  }

  private void need(int n) {
    if (n < 0 || p + n > b.length) throw error("Short read or OOM loading DB. Unrecoverable error, aborting now.");
  }

  private RdbException error(String what) {
    return new RdbException(what + " (" + source + ", offset " + p + ")");
  }
}
