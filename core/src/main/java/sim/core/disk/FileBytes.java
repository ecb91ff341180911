package sim.core.disk;

import java.util.Arrays;

/** A growable byte array: the contents of one simulated file. */
final class FileBytes {
  private byte[] bytes;
  private int length;

  FileBytes() {
    this.bytes = new byte[64];
  }

  FileBytes(byte[] initial) {
    this.bytes = Arrays.copyOf(initial, Math.max(64, initial.length));
    this.length = initial.length;
  }

  FileBytes copy() {
    FileBytes c = new FileBytes();
    c.bytes = Arrays.copyOf(bytes, bytes.length);
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
    if (offset > length) Arrays.fill(bytes, length, (int) offset, (byte) 0);
    System.arraycopy(data, from, bytes, (int) offset, count);
    length = Math.max(length, (int) end);
  }

  void truncate(long size) {
    if (size < length) {
      length = (int) size;
    } else if (size > length) {
      ensure((int) size);
      Arrays.fill(bytes, length, (int) size, (byte) 0);
      length = (int) size;
    }
  }

  byte[] read(long offset, int count) {
    int from = (int) Math.min(offset, length);
    int to = (int) Math.min((long) from + count, length);
    return Arrays.copyOfRange(bytes, from, to);
  }

  byte[] toArray() {
    return Arrays.copyOf(bytes, length);
  }

  void xor(int offset, byte mask) {
    bytes[offset] ^= mask;
  }

  private void ensure(int capacity) {
    if (capacity > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
    }
  }
}
