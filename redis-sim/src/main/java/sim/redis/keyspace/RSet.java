package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import sim.redis.resp.Numbers;

/**
 * A set. Redis 7.0 keeps a set of integers as an intset (sorted array, at most {@code set-max-intset-entries
 * 512}), anything else as a hashtable; the conversion is one way. Members of an intset come out sorted,
 * as SMEMBERS shows; hashtable order is the dict's, here insertion order.
 */
public final class RSet implements RedisObject {
  public static final int MAX_INTSET_ENTRIES = 512;
  private final LinkedHashSet<String> members = new LinkedHashSet<>();
  private boolean intset = true;

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public String encoding() {
    return intset ? "intset" : "hashtable";
  }

  public boolean isIntset() {
    return intset;
  }

  public int size() {
    return members.size();
  }

  public boolean contains(String m) {
    return members.contains(m);
  }

  public boolean add(String m) {
    if (intset && Numbers.parseLong(m) == null) intset = false;
    boolean added = members.add(m);
    if (members.size() > MAX_INTSET_ENTRIES) intset = false;
    return added;
  }

  public boolean remove(String m) {
    return members.remove(m);
  }

  /** Members in the order SMEMBERS returns them: numeric order for an intset. */
  public List<String> members() {
    List<String> out = new ArrayList<>(members);
    if (intset) out.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    return out;
  }

  @Override
  public RSet deepCopy() {
    RSet c = new RSet();
    c.members.addAll(members);
    c.intset = intset;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RSet s && s.members.equals(members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  @Override
  public String toString() {
    return members().toString();
  }
}
