package sim.core.disk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The contents of one simulated file, in fixed 16 KiB chunks: a file that grows by appends (a log segment,
 * a WAL) never copies what it already holds, as a doubling array would on every growth.
 */
final class FileBytes {
  private static final int CHUNK_BITS = 14;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int MASK = CHUNK - 1;

  private final List<byte[]> chunks = new ArrayList<>();
  private int length;

  FileBytes() {}

  FileBytes(byte[] initial) {
    write(0, initial, 0, initial.length);
  }

  FileBytes copy() {
    FileBytes c = new FileBytes();
    for (byte[] chunk : chunks) c.chunks.add(chunk.clone());
    c.length = length;
    return c;
  }

  int length() {
    return length;
  }

  void write(long offset, byte[] data, int from, int count) {
    long end = offset + count;
    if (end > Integer.MAX_VALUE - 8) throw new SimIOException("EFBIG", "file would exceed 2 GiB");
    ensure((int) end);
    if (offset > length) zero(length, (int) offset);
    int pos = (int) offset;
    while (count > 0) {
      int n = Math.min(count, CHUNK - (pos & MASK));
      System.arraycopy(data, from, chunks.get(pos >>> CHUNK_BITS), pos & MASK, n);
      pos += n;
      from += n;
      count -= n;
    }
    length = Math.max(length, (int) end);
  }

  void truncate(long size) {
    if (size < length) {
      length = (int) size;
      while (chunks.size() > (length + CHUNK - 1) >>> CHUNK_BITS) chunks.remove(chunks.size() - 1);
    } else if (size > length) {
      ensure((int) size);
      zero(length, (int) size);
      length = (int) size;
    }
  }

  byte[] read(long offset, int count) {
    int from = (int) Math.min(offset, length);
    int to = (int) Math.min((long) from + count, length);
    byte[] out = new byte[to - from];
    int pos = from;
    int at = 0;
    while (pos < to) {
      int n = Math.min(to - pos, CHUNK - (pos & MASK));
      System.arraycopy(chunks.get(pos >>> CHUNK_BITS), pos & MASK, out, at, n);
      pos += n;
      at += n;
    }
    return out;
  }

  byte[] toArray() {
    return read(0, length);
  }

  void xor(int offset, byte mask) {
    chunks.get(offset >>> CHUNK_BITS)[offset & MASK] ^= mask;
  }

  /** Bytes past the old end that a truncate or a sparse write exposes read as zeros. */
  private void zero(int from, int to) {
    for (int pos = from; pos < to; ) {
      int n = Math.min(to - pos, CHUNK - (pos & MASK));
      Arrays.fill(chunks.get(pos >>> CHUNK_BITS), pos & MASK, (pos & MASK) + n, (byte) 0);
      pos += n;
    }
  }

  private void ensure(int capacity) {
    while (chunks.size() << CHUNK_BITS < capacity) chunks.add(new byte[CHUNK]);
  }
}
