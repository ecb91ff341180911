package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import sim.redis.rdb.Listpack;

/**
 * A stream (t_stream.c, stream.h, 7.0). Entries live in macro nodes as Redis keeps them in its radix tree of
 * listpacks: each node has a master entry (the fields of its first entry, a live count and a deleted count),
 * entries are delta-encoded against the master ID and flagged SAMEFIELDS or DELETED, and a node is closed when
 * its listpack reaches {@code stream-node-max-bytes} or {@code stream-node-max-entries} — so XTRIM ~ removes the
 * same whole nodes Redis does, and the RDB writer emits the same listpacks. Consumer groups keep their PEL and
 * consumers as Redis does.
 */
public final class RStream implements RedisObject {
  public static final int FLAG_DELETED = 1;
  public static final int FLAG_SAMEFIELDS = 2;

  /** One entry inside a node. */
  public static final class Entry {
    final StreamId id;
    int flags;
    final List<String> fieldsValues;

    Entry(StreamId id, int flags, List<String> fieldsValues) {
      this.id = id;
      this.flags = flags;
      this.fieldsValues = fieldsValues;
    }

    public StreamId id() {
      return id;
    }

    public List<String> fieldsValues() {
      return fieldsValues;
    }

    public boolean deleted() {
      return (flags & FLAG_DELETED) != 0;
    }
  }

  /** A radix-tree node: one listpack. */
  public static final class Node {
    final StreamId master;
    final List<String> masterFields;
    final List<Entry> entries = new ArrayList<>();
    long count;
    long deletedCount;

    Node(StreamId master, List<String> masterFields) {
      this.master = master;
      this.masterFields = masterFields;
    }

    public StreamId master() {
      return master;
    }

    /** lpBytes of this node's listpack. */
    long listpackBytes() {
      long b = 6 + 1;
      b += Listpack.entrySize(count) + Listpack.entrySize(deletedCount) + Listpack.entrySize(masterFields.size());
      for (String f : masterFields) b += Listpack.entrySize(f);
      b += Listpack.entrySize(0);
      for (Entry e : entries) b += entryBytes(e);
      return b;
    }

    private long entryBytes(Entry e) {
      long b = Listpack.entrySize(e.flags) + Listpack.entrySize(e.id.ms() - master.ms()) + Listpack.entrySize(e.id.seq() - master.seq());
      int n = e.fieldsValues.size() / 2;
      boolean same = (e.flags & FLAG_SAMEFIELDS) != 0;
      if (!same) b += Listpack.entrySize(n);
      for (int i = 0; i < e.fieldsValues.size(); i++) if (!same || i % 2 == 1) b += Listpack.entrySize(e.fieldsValues.get(i));
      b += Listpack.entrySize(n + 3 + (same ? 0 : n + 1));
      return b;
    }

    /** The node as Redis's listpack: master entry, then the entries. */
    public List<String> listpackElements() {
      List<String> out = new ArrayList<>();
      out.add(Long.toString(count));
      out.add(Long.toString(deletedCount));
      out.add(Integer.toString(masterFields.size()));
      out.addAll(masterFields);
      out.add("0");
      for (Entry e : entries) {
        out.add(Integer.toString(e.flags));
        out.add(Long.toString(e.id.ms() - master.ms()));
        out.add(Long.toString(e.id.seq() - master.seq()));
        int n = e.fieldsValues.size() / 2;
        boolean same = (e.flags & FLAG_SAMEFIELDS) != 0;
        if (!same) out.add(Integer.toString(n));
        for (int i = 0; i < e.fieldsValues.size(); i++) if (!same || i % 2 == 1) out.add(e.fieldsValues.get(i));
        out.add(Integer.toString(n + 3 + (same ? 0 : n + 1)));
      }
      return out;
    }
  }

  /** streamNACK: a delivered, unacknowledged entry. */
  public static final class Nack {
    public long deliveryTimeMs;
    public long deliveryCount;
    public Consumer consumer;

    Nack(long deliveryTimeMs, long deliveryCount, Consumer consumer) {
      this.deliveryTimeMs = deliveryTimeMs;
      this.deliveryCount = deliveryCount;
      this.consumer = consumer;
    }
  }

  /** streamConsumer. */
  public static final class Consumer {
    public final String name;
    public long seenTimeMs;
    public final TreeMap<StreamId, Nack> pel = new TreeMap<>();

    Consumer(String name, long seenTimeMs) {
      this.name = name;
      this.seenTimeMs = seenTimeMs;
    }
  }

  /** streamCG. */
  public static final class Group {
    public final String name;
    public StreamId lastId;
    public long entriesRead;
    public final TreeMap<StreamId, Nack> pel = new TreeMap<>();
    public final TreeMap<String, Consumer> consumers = new TreeMap<>(); // rax: byte order

    Group(String name, StreamId lastId, long entriesRead) {
      this.name = name;
      this.lastId = lastId;
      this.entriesRead = entriesRead;
    }

    public Consumer consumer(String name) {
      return consumers.get(name);
    }

    public Consumer createConsumer(String name, long nowMs) {
      Consumer c = new Consumer(name, nowMs);
      consumers.put(name, c);
      return c;
    }

    public Nack newNack(Consumer c, long nowMs) {
      return new Nack(nowMs, 1, c);
    }
  }

  /** SCG_INVALID_ENTRIES_READ. */
  public static final long INVALID_ENTRIES_READ = -1;

  private final TreeMap<StreamId, Node> nodes = new TreeMap<>();
  private long length;
  private StreamId lastId = StreamId.MIN;
  private StreamId firstId = StreamId.MIN;
  private StreamId maxDeletedId = StreamId.MIN;
  private long entriesAdded;
  private final TreeMap<String, Group> groups = new TreeMap<>(); // rax: byte order

  @Override
  public String typeName() {
    return "stream";
  }

  @Override
  public String encoding() {
    return "stream";
  }

  public long length() {
    return length;
  }

  public StreamId lastId() {
    return lastId;
  }

  public StreamId firstId() {
    return firstId;
  }

  public StreamId maxDeletedId() {
    return maxDeletedId;
  }

  public long entriesAdded() {
    return entriesAdded;
  }

  public void setLastId(StreamId id) {
    lastId = id;
  }

  public void setMaxDeletedId(StreamId id) {
    maxDeletedId = id;
  }

  public void setEntriesAdded(long n) {
    entriesAdded = n;
  }

  public void setFirstId(StreamId id) {
    firstId = id;
  }

  public NavigableMap<StreamId, Node> nodes() {
    return nodes;
  }

  public Map<String, Group> groups() {
    return groups;
  }

  /**
   * streamAppendItem with the ID already decided (and checked greater than the last one by the caller): the
   * tail node takes it unless full (stream-node-max-bytes, stream-node-max-entries).
   */
  public void append(StreamId id, List<String> fieldsValues, Limits limits) {
    long totLen = 0;
    for (String s : fieldsValues) totLen += s.length();
    Node tail = nodes.isEmpty() ? null : nodes.lastEntry().getValue();
    if (tail != null) {
      long maxBytes = limits.streamNodeMaxBytes == 0 || limits.streamNodeMaxBytes > (1L << 30) ? 1L << 30 : limits.streamNodeMaxBytes;
      if (tail.listpackBytes() + totLen >= maxBytes) tail = null;
      else if (limits.streamNodeMaxEntries != 0 && tail.count + tail.deletedCount >= limits.streamNodeMaxEntries) tail = null;
    }
    int flags = 0;
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < fieldsValues.size(); i += 2) fields.add(fieldsValues.get(i));
    if (tail == null) {
      tail = new Node(id, fields);
      nodes.put(id, tail);
      flags = FLAG_SAMEFIELDS;
    } else if (tail.masterFields.equals(fields)) {
      flags = FLAG_SAMEFIELDS;
    }
    tail.entries.add(new Entry(id, flags, List.copyOf(fieldsValues)));
    tail.count++;
    length++;
    entriesAdded++;
    lastId = id;
    if (length == 1) firstId = id;
  }

  /** Loading: a node exactly as a file had it. */
  public void addLoadedNode(StreamId master, List<String> masterFields, List<Entry> entries) {
    Node n = new Node(master, masterFields);
    for (Entry e : entries) {
      n.entries.add(e);
      if (e.deleted()) n.deletedCount++;
      else n.count++;
    }
    if (n.count == 0) return; // Redis never keeps an empty node
    nodes.put(master, n);
  }

  public static Entry loadedEntry(StreamId id, int flags, List<String> fieldsValues) {
    return new Entry(id, flags, fieldsValues);
  }

  /** Loading: the metadata fields the file gives (RDB_TYPE_STREAM_LISTPACKS_2). */
  public void setLoadedMeta(long length, StreamId last, StreamId first, StreamId maxDeleted, long entriesAdded) {
    this.length = length;
    this.lastId = last;
    this.firstId = first;
    this.maxDeletedId = maxDeleted;
    this.entriesAdded = entriesAdded;
  }

  /** The live entries with start ≤ id ≤ end, ascending or descending, at most {@code count} (0: all). */
  public List<Entry> range(StreamId start, StreamId end, long count, boolean rev) {
    List<Entry> out = new ArrayList<>();
    if (start.compareTo(end) > 0) return out;
    if (!rev) {
      StreamId from = nodes.floorKey(start);
      for (Node n : (from == null ? nodes : nodes.tailMap(from, true)).values()) {
        if (n.master.compareTo(end) > 0) break;
        for (Entry e : n.entries) {
          if (e.deleted() || e.id.compareTo(start) < 0) continue;
          if (e.id.compareTo(end) > 0) return out;
          out.add(e);
          if (count > 0 && out.size() >= count) return out;
        }
      }
      return out;
    }
    for (Node n : nodes.headMap(end, true).descendingMap().values()) {
      for (int i = n.entries.size() - 1; i >= 0; i--) {
        Entry e = n.entries.get(i);
        if (e.deleted() || e.id.compareTo(end) > 0) continue;
        if (e.id.compareTo(start) < 0) return out;
        out.add(e);
        if (count > 0 && out.size() >= count) return out;
      }
    }
    return out;
  }

  /** The live entry with exactly this id, or null. */
  public Entry get(StreamId id) {
    Map.Entry<StreamId, Node> n = nodes.floorEntry(id);
    if (n == null) return null;
    for (Entry e : n.getValue().entries) if (e.id.equals(id) && !e.deleted()) return e;
    return null;
  }

  /** streamIteratorRemoveEntry: flags the entry deleted; a node whose last live entry goes is removed. */
  public boolean delete(StreamId id) {
    Map.Entry<StreamId, Node> ne = nodes.floorEntry(id);
    if (ne == null) return false;
    Node n = ne.getValue();
    for (Entry e : n.entries) {
      if (!e.id.equals(id) || e.deleted()) continue;
      e.flags |= FLAG_DELETED;
      if (n.count == 1) nodes.remove(ne.getKey());
      else {
        n.count--;
        n.deletedCount++;
      }
      length--;
      return true;
    }
    return false;
  }

  /** After XDEL: first_id is the first live entry (0-0 when empty) — streamGetEdgeID. */
  public void updateFirstId() {
    firstId = StreamId.MIN;
    for (Node n : nodes.values()) {
      for (Entry e : n.entries) {
        if (!e.deleted()) {
          firstId = e.id;
          return;
        }
      }
    }
  }

  /** streamTrim by MAXLEN ({@code minId} null) or MINID; approx only removes whole nodes. Returns entries removed. */
  public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
    long deleted = 0;
    Iterator<Map.Entry<StreamId, Node>> it = nodes.entrySet().iterator();
    while (it.hasNext()) {
      if (minId == null && length <= maxLen) break;
      Node n = it.next().getValue();
      long entries = n.count;
      if (limit != 0 && deleted + entries > limit) break;
      boolean removeNode;
      if (minId == null) {
        removeNode = length - entries >= maxLen;
      } else {
        StreamId last = n.entries.get(n.entries.size() - 1).id; // lpGetEdgeStreamID: the last entry, deleted or not
        removeNode = last.compareTo(minId) < 0;
      }
      if (removeNode) {
        it.remove();
        length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      long fromNode = 0;
      for (Entry e : n.entries) {
        boolean stop = minId == null ? length <= maxLen : e.id.compareTo(minId) >= 0;
        if (stop) break;
        if (!e.deleted()) {
          e.flags |= FLAG_DELETED;
          fromNode++;
          length--;
        }
      }
      deleted += fromNode;
      n.count -= fromNode;
      n.deletedCount += fromNode;
      break;
    }
    return deleted;
  }

  public Group group(String name) {
    return groups.get(name);
  }

  public Group createGroup(String name, StreamId lastId, long entriesRead) {
    Group g = new Group(name, lastId, entriesRead);
    groups.put(name, g);
    return g;
  }

  public boolean destroyGroup(String name) {
    return groups.remove(name) != null;
  }

  /** streamRangeHasTombstones: whether an entry in [start, end] might have been deleted. */
  public boolean rangeHasTombstones(StreamId start, StreamId end) {
    if (length == 0 || maxDeletedId.isZero()) return false;
    if (firstId.compareTo(maxDeletedId) > 0) return false;
    StreamId s = start == null ? StreamId.MIN : start;
    StreamId e = end == null ? StreamId.MAX : end;
    return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
  }

  /**
   * streamEstimateDistanceFromFirstEverEntry: how many entries up to {@code id} were ever added, when it can be
   * known exactly; {@link #INVALID_ENTRIES_READ} otherwise.
   */
  public long estimateDistanceFromFirstEverEntry(StreamId id) {
    if (entriesAdded == 0) return 0;
    if (length == 0 && id.compareTo(lastId) < 1) return entriesAdded;
    int cmpLast = id.compareTo(lastId);
    if (cmpLast == 0) return entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    int cmpFirst = id.compareTo(firstId);
    if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
      if (cmpFirst < 0) return entriesAdded - length;
      if (cmpFirst == 0) return entriesAdded - length + 1;
    }
    return INVALID_ENTRIES_READ;
  }

  @Override
  public RStream deepCopy() {
    RStream c = new RStream();
    for (Node n : nodes.values()) {
      Node m = new Node(n.master, n.masterFields);
      for (Entry e : n.entries) m.entries.add(new Entry(e.id, e.flags, e.fieldsValues));
      m.count = n.count;
      m.deletedCount = n.deletedCount;
      c.nodes.put(m.master, m);
    }
    c.length = length;
    c.lastId = lastId;
    c.firstId = firstId;
    c.maxDeletedId = maxDeletedId;
    c.entriesAdded = entriesAdded;
    for (Group g : groups.values()) {
      Group h = c.createGroup(g.name, g.lastId, g.entriesRead);
      for (Consumer k : g.consumers.values()) h.createConsumer(k.name, k.seenTimeMs);
      for (Map.Entry<StreamId, Nack> e : g.pel.entrySet()) {
        Nack n = e.getValue();
        Consumer owner = h.consumers.get(n.consumer.name);
        Nack copy = new Nack(n.deliveryTimeMs, n.deliveryCount, owner);
        h.pel.put(e.getKey(), copy);
        owner.pel.put(e.getKey(), copy);
      }
    }
    return c;
  }

  /** Entries, metadata and groups, for comparing datasets. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Entry e : range(StreamId.MIN, StreamId.MAX, 0, false)) sb.append(e.id).append(e.fieldsValues).append(';');
    sb.append(" last=").append(lastId).append(" added=").append(entriesAdded).append(" maxdel=").append(maxDeletedId);
    for (Group g : groups.values()) {
      sb.append(" group ").append(g.name).append('@').append(g.lastId).append(" read=").append(g.entriesRead);
      for (Map.Entry<StreamId, Nack> e : g.pel.entrySet()) {
        sb.append(" pel ").append(e.getKey()).append('>').append(e.getValue().consumer.name).append('x').append(e.getValue().deliveryCount);
      }
      for (Consumer k : g.consumers.values()) sb.append(" consumer ").append(k.name);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RStream s && s.describe().equals(describe());
  }

  @Override
  public int hashCode() {
    return describe().hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
