package sim.redis.keyspace;

import java.util.Arrays;

/**
 * A list. Redis 7.0 keeps lists as a quicklist: a doubly linked list of listpack nodes, each up to 8 KB
 * ({@code list-max-listpack-size -2}). Here a ring buffer holds the elements; the quicklist node layout is
 * rebuilt when an RDB file is written (see RdbWriter) and read back from files real Redis wrote.
 */
public final class RList implements RedisObject {
  private String[] items = new String[8];
  private int head;
  private int size;

  @Override
  public String typeName() {
    return "list";
  }

  @Override
  public String encoding() {
    return "quicklist";
  }

  public int size() {
    return size;
  }

  public String get(int index) {
    return items[(head + index) & (items.length - 1)];
  }

  public void pushHead(String v) {
    grow();
    head = (head - 1) & (items.length - 1);
    items[head] = v;
    size++;
  }

  public void pushTail(String v) {
    grow();
    items[(head + size) & (items.length - 1)] = v;
    size++;
  }

  public String popHead() {
    String v = items[head];
    items[head] = null;
    head = (head + 1) & (items.length - 1);
    size--;
    return v;
  }

  public String popTail() {
    int i = (head + size - 1) & (items.length - 1);
    String v = items[i];
    items[i] = null;
    size--;
    return v;
  }

  public void set(int index, String v) {
    items[(head + index) & (items.length - 1)] = v;
  }

  /** Inserts {@code v} so that it becomes element {@code index} (0..size). */
  public void insert(int index, String v) {
    if (index == 0) {
      pushHead(v);
      return;
    }
    pushTail(v);
    for (int i = size - 1; i > index; i--) set(i, get(i - 1));
    set(index, v);
  }

  public String removeAt(int index) {
    String v = get(index);
    for (int i = index; i < size - 1; i++) set(i, get(i + 1));
    popTail();
    return v;
  }

  /** Keeps elements [start, end] (inclusive, already clamped; start > end empties the list). */
  public void trim(int start, int end) {
    int keep = start > end ? 0 : end - start + 1;
    String[] kept = new String[Math.max(8, Integer.highestOneBit(Math.max(1, keep)) * 2)];
    for (int i = 0; i < keep; i++) kept[i] = get(start + i);
    items = kept;
    head = 0;
    size = keep;
  }

  private void grow() {
    if (size < items.length) return;
    String[] bigger = new String[items.length * 2];
    for (int i = 0; i < size; i++) bigger[i] = get(i);
    items = bigger;
    head = 0;
  }

  @Override
  public RList deepCopy() {
    RList c = new RList();
    c.items = Arrays.copyOf(items, items.length);
    c.head = head;
    c.size = size;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RList other) || other.size != size) return false;
    for (int i = 0; i < size; i++) if (!get(i).equals(other.get(i))) return false;
    return true;
  }

  @Override
  public int hashCode() {
    int h = size;
    for (int i = 0; i < size; i++) h = h * 31 + get(i).hashCode();
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < size; i++) sb.append(i == 0 ? "" : ", ").append(get(i));
    return sb.append(']').toString();
  }
}
