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

  private final RdbInput in;
  private final String source;
  private final Limits limits;

  private RdbReader(byte[] data, int offset, String source, Limits limits) {
    this.in = new RdbInput(data, offset, source);
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
      throw r.in.error(e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) { // a damaged length or encoding that slipped past the checks
      throw r.in.error("malformed RDB data: " + e);
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
      RedisObject o = r.object(r.in.u8(), key, 0);
      return r.in.atEnd() ? o : null;
    } catch (RuntimeException | OutOfMemoryError e) {
      return null;
    }
  }

  public static boolean looksLikeRdb(byte[] data) {
    return data.length >= 5 && new String(data, 0, 5, StandardCharsets.US_ASCII).equals("REDIS");
  }

  private Result load() {
    int start = in.pos();
    String magic = in.ascii(9);
    if (!magic.startsWith("REDIS")) throw in.error("Wrong signature trying to load DB from file");
    int version;
    try {
      version = Integer.parseInt(magic.substring(5));
    } catch (NumberFormatException e) {
      throw in.error("Wrong signature trying to load DB from file");
    }
    if (version < 1 || version > RDB_VERSION) throw in.error("Can't handle RDB format version " + version);
    Keyspace ks = new Keyspace();
    Map<String, String> aux = new TreeMap<>();
    Db db = ks.db(0);
    long expireAt = -1;
    while (true) {
      int type = in.u8();
      if (type == OPCODE_EXPIRETIME) {
        expireAt = in.le(4) * 1000;
        continue;
      } else if (type == OPCODE_EXPIRETIME_MS) {
        expireAt = in.le(8);
        continue;
      } else if (type == OPCODE_FREQ) {
        in.u8();
        continue;
      } else if (type == OPCODE_IDLE) {
        in.len();
        continue;
      } else if (type == OPCODE_EOF) {
        break;
      } else if (type == OPCODE_SELECTDB) {
        long id = in.len();
        if (id >= Keyspace.DATABASES) throw in.error("FATAL: Data file was created with a Redis server configured to handle more than 16 databases. Exiting");
        db = ks.db((int) id);
        continue;
      } else if (type == OPCODE_RESIZEDB) {
        in.len();
        in.len();
        continue;
      } else if (type == OPCODE_AUX) {
        String k = in.string();
        aux.put(k, in.string());
        continue;
      } else if (type == OPCODE_MODULE_AUX) {
        throw in.error("the file holds module data (opcode 247), which redis-sim does not model");
      } else if (type == OPCODE_FUNCTION || type == OPCODE_FUNCTION2) {
        throw in.error("the file holds a FUNCTION library (opcode " + type + "), which redis-sim does not model");
      }
      int at = in.pos() - 1;
      String key = in.string();
      RedisObject value = object(type, key, at);
      if (db.get(key) != null) throw in.error("Duplicate key '" + key + "' found in RDB file");
      db.put(key, value);
      if (expireAt != -1) db.setExpire(key, expireAt);
      expireAt = -1;
    }
    if (version >= 5) {
      long expected = in.crc64From(start);
      long got = in.le(8);
      if (got != 0 && got != expected) {
        throw new RdbException(String.format("Wrong RDB checksum expected: (%x) got: (%x). Aborting now. (%s)", got, expected, source));
      }
    }
    return new Result(ks, aux, version, in.pos() - start);
  }

  private RedisObject object(int type, String key, int at) {
    switch (type) {
      case TYPE_STRING:
        return new RString(in.string());
      case TYPE_LIST: {
        RList l = new RList();
        for (long n = in.len(); n > 0; n--) l.pushTail(in.string());
        return nonEmpty(l.size(), l, key, at);
      }
      case TYPE_SET: {
        long n = in.len();
        RSet s = new RSet();
        if (n > Math.min(limits.setMaxIntsetEntries, 1L << 30)) { // too many for an intset: a presized dict
          s.toHashtable();
          if (n > Dict.INITIAL_SIZE) s.table().expand(n);
        }
        for (; n > 0; n--) {
          String m = in.string();
          if (s.isIntset() && Numbers.parseLong(m) == null) {
            s.toHashtable();
            s.table().expand(n + s.size());
          }
          if (!s.add(m, NO_LIMITS)) throw in.error("Duplicate set members detected");
        }
        return nonEmpty(s.size(), s, key, at);
      }
      case TYPE_ZSET:
      case TYPE_ZSET_2: {
        long n = in.len();
        RZSet z = new RZSet();
        z.setSkiplist(true);
        if (n > Dict.INITIAL_SIZE) z.dict().expand(n);
        long maxLen = 0;
        for (; n > 0; n--) {
          String m = in.string();
          maxLen = Math.max(maxLen, m.length());
          double score = type == TYPE_ZSET_2 ? Double.longBitsToDouble(in.le(8)) : in.asciiDouble();
          if (Double.isNaN(score)) throw in.error("Zset with NAN score detected");
          if (!z.putLoaded(m, score)) throw in.error("Duplicate zset fields detected");
        }
        if (z.size() <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue) z.setSkiplist(false);
        return nonEmpty(z.size(), z, key, at);
      }
      case TYPE_HASH: {
        long n = in.len();
        RHash h = new RHash();
        if (n > limits.hashMaxListpackEntries) h.toHashtable();
        boolean presize = !h.isListpack();
        for (long left = n; left > 0; left--) {
          String f = in.string();
          String v = in.string();
          if (h.isListpack() && (f.length() > limits.hashMaxListpackValue || v.length() > limits.hashMaxListpackValue)) {
            h.toHashtable();
            presize = true;
          }
          if (h.contains(f)) throw in.error("Duplicate hash fields detected");
          h.putLoaded(f, v);
        }
        if (presize && n > Dict.INITIAL_SIZE) h.table().expand(n);
        return nonEmpty(h.size(), h, key, at);
      }
      case TYPE_SET_INTSET: {
        RSet s = new RSet();
        for (String m : Intset.decode(in.blob(key))) s.add(m, NO_LIMITS);
        if (s.size() > limits.setMaxIntsetEntries) s.toHashtable();
        return nonEmpty(s.size(), s, key, at);
      }
      case TYPE_HASH_LISTPACK: {
        List<String> flat = Listpack.decode(in.blob(key));
        if (flat.size() % 2 != 0) throw in.error("hash listpack of key '" + key + "' has an odd number of entries");
        RHash h = new RHash();
        for (int i = 0; i < flat.size(); i += 2) {
          if (h.contains(flat.get(i))) throw in.error("Hash listpack integrity check failed (duplicate field) for key '" + key + "'");
          h.putLoaded(flat.get(i), flat.get(i + 1));
        }
        if (h.size() > limits.hashMaxListpackEntries) h.toHashtable();
        return nonEmpty(h.size(), h, key, at);
      }
      case TYPE_ZSET_LISTPACK: {
        List<String> flat = Listpack.decode(in.blob(key));
        if (flat.size() % 2 != 0) throw in.error("zset listpack of key '" + key + "' has an odd number of entries");
        RZSet z = new RZSet();
        for (int i = 0; i < flat.size(); i += 2) {
          Double d = Numbers.parseDouble(flat.get(i + 1));
          if (d == null) throw in.error("zset listpack of key '" + key + "' has a bad score '" + flat.get(i + 1) + "'");
          if (!z.putLoaded(flat.get(i), d)) throw in.error("Zset listpack integrity check failed (duplicate member) for key '" + key + "'");
        }
        if (z.size() > limits.zsetMaxListpackEntries) z.setSkiplist(true);
        return nonEmpty(z.size(), z, key, at);
      }
      case TYPE_LIST_QUICKLIST_2: {
        RList l = new RList();
        for (long nodes = in.len(); nodes > 0; nodes--) {
          long container = in.len();
          if (container == QUICKLIST_NODE_PLAIN) {
            l.pushTail(in.string());
          } else if (container == QUICKLIST_NODE_PACKED) {
            for (String v : Listpack.decode(in.blob(key))) l.pushTail(v);
          } else {
            throw in.error("quicklist node of key '" + key + "' has unknown container " + container);
          }
        }
        return nonEmpty(l.size(), l, key, at);
      }
      case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2:
        return stream(type == TYPE_STREAM_LISTPACKS_2, key);
      case TYPE_HASH_ZIPMAP, TYPE_LIST_ZIPLIST, TYPE_ZSET_ZIPLIST, TYPE_HASH_ZIPLIST, TYPE_LIST_QUICKLIST:
        throw in.error("key '" + key + "' uses ziplist-era RDB type " + type + " (Redis 6 and older), which redis-sim does not read");
      case TYPE_MODULE_2:
        throw in.error("key '" + key + "' holds a module type, which redis-sim does not model");
      default:
        throw in.error("Unknown RDB encoding type " + type + " at offset " + at);
    }
  }

  /** rdbLoadObject for RDB_TYPE_STREAM_LISTPACKS(_2): the nodes' listpacks as saved, metadata, groups, PELs. */
  private RStream stream(boolean v2, String key) {
    RStream s = new RStream();
    for (long nodes = in.len(); nodes > 0; nodes--) {
      String nodeKey = in.string();
      if (nodeKey.length() != 16) throw in.error("Stream node key entry is not the size of a stream ID");
      StreamId master = rawId(nodeKey.getBytes(StandardCharsets.ISO_8859_1), 0);
      List<String> lp = Listpack.decode(in.blob(key));
      if (lp.isEmpty()) throw in.error("Empty listpack inside stream");
      streamNode(s, master, lp, key);
    }
    long length = in.len();
    StreamId last = new StreamId(in.len(), in.len());
    StreamId first;
    StreamId maxDeleted;
    long entriesAdded;
    if (v2) {
      first = new StreamId(in.len(), in.len());
      maxDeleted = new StreamId(in.len(), in.len());
      entriesAdded = in.len();
    } else {
      maxDeleted = StreamId.MIN;
      entriesAdded = length;
      first = s.nodes().isEmpty() ? StreamId.MIN : firstLive(s);
    }
    s.setLoadedMeta(length, last, first, maxDeleted, entriesAdded);
    if (length > 0 && s.nodes().isEmpty()) throw in.error("Stream length inconsistent with the rax entries");
    for (long groups = in.len(); groups > 0; groups--) {
      String name = in.string();
      StreamId gid = new StreamId(in.len(), in.len());
      long entriesRead = v2 ? in.len() : s.estimateDistanceFromFirstEverEntry(gid);
      if (s.group(name) != null) throw in.error("Duplicated consumer group name " + name);
      RStream.Group g = s.createGroup(name, gid, entriesRead);
      for (long pel = in.len(); pel > 0; pel--) {
        StreamId id = rawId(in.rawBytes(16), 0);
        RStream.Nack nack = g.newNack(null, in.le(8));
        nack.deliveryCount = in.len();
        if (g.pel.put(id, nack) != null) throw in.error("Duplicated global PEL entry loading stream consumer group");
      }
      for (long consumers = in.len(); consumers > 0; consumers--) {
        String cname = in.string();
        RStream.Consumer c = g.createConsumer(cname, 0);
        c.seenTimeMs = in.le(8);
        for (long pel = in.len(); pel > 0; pel--) {
          StreamId id = rawId(in.rawBytes(16), 0);
          RStream.Nack nack = g.pel.get(id);
          if (nack == null) throw in.error("Consumer entry not found in group global PEL");
          nack.consumer = c;
          if (c.pel.put(id, nack) != null) throw in.error("Duplicated consumer PEL entry loading a stream consumer group");
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
      if (!lp.get(i++).equals("0")) throw in.error("stream node of key '" + key + "' lacks the master terminator");
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
      if (live != count || entries.size() - live != deleted) throw in.error("stream node of key '" + key + "' has inconsistent counts");
      s.addLoadedNode(master, masterFields, entries);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw in.error("stream listpack of key '" + key + "' is malformed: " + e);
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

  private RedisObject nonEmpty(int size, RedisObject o, String key, int at) {
    if (size == 0) throw in.error("empty " + o.typeName() + " stored under key '" + key + "' at offset " + at);
    return o;
  }
}
