package sim.redis.rdb;

import static sim.redis.rdb.RdbConstants.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Dict;
import sim.redis.keyspace.Limits;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RStream;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.keyspace.StreamId;
import sim.redis.resp.Numbers;

/**
 * Loads an RDB file (rdbLoadRio, Redis 7.0): versions 1..10, aux fields, SELECTDB, RESIZEDB, expire, LRU
 * and LFU opcodes, every string encoding, and the object encodings Redis 7.0 writes (plain, intset,
 * listpack, quicklist of listpacks, stream listpacks with consumer groups), choosing each loaded value's
 * encoding as Redis does. Ziplist-era encodings (RDB ≤ 9), modules and functions are refused with a message
 * naming the key and the type. Any damage throws RdbException with the offset.
 */
public final class RdbReader {
  /** What was loaded: the dataset with every key's expire (expired keys included; the caller decides). */
  public record Result(Keyspace keyspace, Map<String, String> aux, int version, long bytesRead) {}

  /** Limits that never convert: the loader decides the encoding itself, as rdbLoadObject does. */
  private static final Limits NO_LIMITS = new Limits();

  static {
    NO_LIMITS.setMaxIntsetEntries = Long.MAX_VALUE;
  }

  private final byte[] b;
  private int p;
  private final String source;
  private final Limits limits;

  private RdbReader(byte[] data, int offset, String source, Limits limits) {
    this.b = data;
    this.p = offset;
    this.source = source;
    this.limits = limits;
  }

  public static Result read(byte[] data, String source) {
    return read(data, 0, source, Limits.DEFAULTS);
  }

  public static Result read(byte[] data, String source, Limits limits) {
    return read(data, 0, source, limits);
  }

  public static Result read(byte[] data, int offset, String source) {
    return read(data, offset, source, Limits.DEFAULTS);
  }

  /**
   * Reads one RDB starting at {@code offset} (an AOF base file starts with one, then commands follow); the
   * encodings follow {@code limits} as rdbLoadObject's conversions do.
   */
  public static Result read(byte[] data, int offset, String source, Limits limits) {
    RdbReader r = new RdbReader(data, offset, source, limits);
    try {
      return r.load();
    } catch (RdbException e) {
      if (e.getMessage().contains(source)) throw e;
      throw r.error(e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) { // a damaged length or encoding that slipped past the checks
      throw r.error("malformed RDB data: " + e);
    }
  }

  /** verifyDumpPayload: the footer's RDB version is one we read and its CRC-64 matches (0 is not checked). */
  public static boolean verifyDumpPayload(byte[] payload) {
    if (payload.length < 10) return false;
    int at = payload.length - 10;
    long version = Listpack.le(payload, at, 2);
    if (version > RDB_VERSION) return false;
    long crc = Listpack.le(payload, at + 2, 8);
    return crc == 0 || crc == Crc64.of(payload, 0, at + 2);
  }

  /** rdbLoadObjectType + rdbLoadObject on a verified DUMP payload (RESTORE); null for "Bad data format". */
  public static RedisObject restore(byte[] payload, String key, Limits limits) {
    RdbReader r = new RdbReader(java.util.Arrays.copyOf(payload, payload.length - 10), 0, "DUMP payload", limits);
    try {
      RedisObject o = r.object(r.u8(), key, 0);
      return r.p == r.b.length ? o : null;
    } catch (RuntimeException | OutOfMemoryError e) {
      return null;
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
        long n = len();
        RSet s = new RSet();
        if (n > Math.min(limits.setMaxIntsetEntries, 1L << 30)) { // too many for an intset: a presized dict
          s.toHashtable();
          if (n > Dict.INITIAL_SIZE) s.table().expand(n);
        }
        for (; n > 0; n--) {
          String m = string();
          if (s.isIntset() && Numbers.parseLong(m) == null) {
            s.toHashtable();
            s.table().expand(n + s.size());
          }
          if (!s.add(m, NO_LIMITS)) throw error("Duplicate set members detected");
        }
        return nonEmpty(s.size(), s, key, at);
      }
      case TYPE_ZSET:
      case TYPE_ZSET_2: {
        long n = len();
        RZSet z = new RZSet();
        z.setSkiplist(true);
        if (n > Dict.INITIAL_SIZE) z.dict().expand(n);
        long maxLen = 0;
        for (; n > 0; n--) {
          String m = string();
          maxLen = Math.max(maxLen, m.length());
          double score = type == TYPE_ZSET_2 ? Double.longBitsToDouble(le(8)) : asciiDouble();
          if (Double.isNaN(score)) throw error("Zset with NAN score detected");
          if (!z.putLoaded(m, score)) throw error("Duplicate zset fields detected");
        }
        if (z.size() <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue) z.setSkiplist(false);
        return nonEmpty(z.size(), z, key, at);
      }
      case TYPE_HASH: {
        long n = len();
        RHash h = new RHash();
        if (n > limits.hashMaxListpackEntries) h.toHashtable();
        boolean presize = !h.isListpack();
        for (long left = n; left > 0; left--) {
          String f = string();
          String v = string();
          if (h.isListpack() && (f.length() > limits.hashMaxListpackValue || v.length() > limits.hashMaxListpackValue)) {
            h.toHashtable();
            presize = true;
          }
          if (h.contains(f)) throw error("Duplicate hash fields detected");
          h.putLoaded(f, v);
        }
        if (presize && n > Dict.INITIAL_SIZE) h.table().expand(n);
        return nonEmpty(h.size(), h, key, at);
      }
      case TYPE_SET_INTSET: {
        RSet s = new RSet();
        for (String m : Intset.decode(blob(key))) s.add(m, NO_LIMITS);
        if (s.size() > limits.setMaxIntsetEntries) s.toHashtable();
        return nonEmpty(s.size(), s, key, at);
      }
      case TYPE_HASH_LISTPACK: {
        List<String> flat = Listpack.decode(blob(key));
        if (flat.size() % 2 != 0) throw error("hash listpack of key '" + key + "' has an odd number of entries");
        RHash h = new RHash();
        for (int i = 0; i < flat.size(); i += 2) {
          if (h.contains(flat.get(i))) throw error("Hash listpack integrity check failed (duplicate field) for key '" + key + "'");
          h.putLoaded(flat.get(i), flat.get(i + 1));
        }
        if (h.size() > limits.hashMaxListpackEntries) h.toHashtable();
        return nonEmpty(h.size(), h, key, at);
      }
      case TYPE_ZSET_LISTPACK: {
        List<String> flat = Listpack.decode(blob(key));
        if (flat.size() % 2 != 0) throw error("zset listpack of key '" + key + "' has an odd number of entries");
        RZSet z = new RZSet();
        for (int i = 0; i < flat.size(); i += 2) {
          Double d = Numbers.parseDouble(flat.get(i + 1));
          if (d == null) throw error("zset listpack of key '" + key + "' has a bad score '" + flat.get(i + 1) + "'");
          if (!z.putLoaded(flat.get(i), d)) throw error("Zset listpack integrity check failed (duplicate member) for key '" + key + "'");
        }
        if (z.size() > limits.zsetMaxListpackEntries) z.setSkiplist(true);
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
      case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2:
        return stream(type == TYPE_STREAM_LISTPACKS_2, key);
      case TYPE_HASH_ZIPMAP, TYPE_LIST_ZIPLIST, TYPE_ZSET_ZIPLIST, TYPE_HASH_ZIPLIST, TYPE_LIST_QUICKLIST:
        throw error("key '" + key + "' uses ziplist-era RDB type " + type + " (Redis 6 and older), which redis-sim does not read");
      case TYPE_MODULE_2:
        throw error("key '" + key + "' holds a module type, which redis-sim does not model");
      default:
        throw error("Unknown RDB encoding type " + type + " at offset " + at);
    }
  }

  /** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS(_2): the nodes' listpacks as saved, metadata, groups, PELs. */
  private RStream stream(boolean v2, String key) {
    RStream s = new RStream();
    for (long nodes = len(); nodes > 0; nodes--) {
      String nodeKey = string();
      if (nodeKey.length() != 16) throw error("Stream node key entry is not the size of a stream ID");
      StreamId master = rawId(nodeKey.getBytes(StandardCharsets.ISO_8859_1), 0);
      List<String> lp = Listpack.decode(blob(key));
      if (lp.isEmpty()) throw error("Empty listpack inside stream");
      streamNode(s, master, lp, key);
    }
    long length = len();
    StreamId last = new StreamId(len(), len());
    StreamId first;
    StreamId maxDeleted;
    long entriesAdded;
    if (v2) {
      first = new StreamId(len(), len());
      maxDeleted = new StreamId(len(), len());
      entriesAdded = len();
    } else {
      maxDeleted = StreamId.MIN;
      entriesAdded = length;
      first = s.nodes().isEmpty() ? StreamId.MIN : firstLive(s);
    }
    s.setLoadedMeta(length, last, first, maxDeleted, entriesAdded);
    if (length > 0 && s.nodes().isEmpty()) throw error("Stream length inconsistent with the rax entries");
    for (long groups = len(); groups > 0; groups--) {
      String name = string();
      StreamId gid = new StreamId(len(), len());
      long entriesRead = v2 ? len() : s.estimateDistanceFromFirstEverEntry(gid);
      if (s.group(name) != null) throw error("Duplicated consumer group name " + name);
      RStream.Group g = s.createGroup(name, gid, entriesRead);
      for (long pel = len(); pel > 0; pel--) {
        StreamId id = rawId(rawBytes(16), 0);
        RStream.Nack nack = g.newNack(null, le(8));
        nack.deliveryCount = len();
        if (g.pel.put(id, nack) != null) throw error("Duplicated global PEL entry loading stream consumer group");
      }
      for (long consumers = len(); consumers > 0; consumers--) {
        String cname = string();
        RStream.Consumer c = g.createConsumer(cname, 0);
        c.seenTimeMs = le(8);
        for (long pel = len(); pel > 0; pel--) {
          StreamId id = rawId(rawBytes(16), 0);
          RStream.Nack nack = g.pel.get(id);
          if (nack == null) throw error("Consumer entry not found in group global PEL");
          nack.consumer = c;
          if (c.pel.put(id, nack) != null) throw error("Duplicated consumer PEL entry loading a stream consumer group");
        }
      }
    }
    return s;
  }

  private static StreamId firstLive(RStream s) {
    for (RStream.Node n : s.nodes().values()) {
      List<RStream.Entry> live = s.range(n.master(), StreamId.MAX, 1, false);
      if (!live.isEmpty()) return live.get(0).id();
    }
    return StreamId.MIN;
  }

  /** One node's listpack: count, deleted, master fields, 0, then flags/ms-delta/seq-delta/[n]/fields-values/lp-count. */
  private void streamNode(RStream s, StreamId master, List<String> lp, String key) {
    try {
      int i = 0;
      long count = Long.parseLong(lp.get(i++));
      long deleted = Long.parseLong(lp.get(i++));
      int nMaster = Integer.parseInt(lp.get(i++));
      List<String> masterFields = List.copyOf(lp.subList(i, i + nMaster));
      i += nMaster;
      if (!lp.get(i++).equals("0")) throw error("stream node of key '" + key + "' lacks the master terminator");
      List<RStream.Entry> entries = new ArrayList<>();
      while (i < lp.size()) {
        int flags = Integer.parseInt(lp.get(i++));
        StreamId id = new StreamId(master.ms() + Long.parseLong(lp.get(i++)), master.seq() + Long.parseLong(lp.get(i++)));
        List<String> fv = new ArrayList<>();
        if ((flags & RStream.FLAG_SAMEFIELDS) != 0) {
          for (String f : masterFields) {
            fv.add(f);
            fv.add(lp.get(i++));
          }
        } else {
          int n = Integer.parseInt(lp.get(i++));
          for (int j = 0; j < 2 * n; j++) fv.add(lp.get(i++));
        }
        i++; // lp-count
        entries.add(RStream.loadedEntry(id, flags, List.copyOf(fv)));
      }
      long live = entries.stream().filter(e -> !e.deleted()).count();
      if (live != count || entries.size() - live != deleted) throw error("stream node of key '" + key + "' has inconsistent counts");
      s.addLoadedNode(master, masterFields, entries);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw error("stream listpack of key '" + key + "' is malformed: " + e);
    }
  }

  /** streamDecodeID: 128 bits big-endian. */
  private static StreamId rawId(byte[] raw, int at) {
    long ms = 0;
    long seq = 0;
    for (int i = 0; i < 8; i++) ms = (ms << 8) | (raw[at + i] & 0xff);
    for (int i = 8; i < 16; i++) seq = (seq << 8) | (raw[at + i] & 0xff);
    return new StreamId(ms, seq);
  }

  private byte[] rawBytes(int n) {
    need(n);
    byte[] out = java.util.Arrays.copyOfRange(b, p, p + n);
    p += n;
    return out;
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
