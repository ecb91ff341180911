package sim.es.index;

import java.util.Arrays;

/** A growable int array: postings, frequencies and positions are built in these. */
final class IntList {
  private int[] values;
  private int size;

  IntList(int capacity) {
    values = new int[Math.max(1, capacity)];
  }

  void add(int v) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = v;
  }

  int get(int i) {
    return values[i];
  }

  void set(int i, int v) {
    values[i] = v;
  }

  int size() {
    return size;
  }

  int last() {
    return values[size - 1];
  }

  int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
