package sim.cassandra.db;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality, unsigned lexicographic order (Cassandra's
 * {@code ByteBufferUtil.compareUnsigned}, which breaks timestamp ties between live cells) and a hex
 * {@code toString}, so it can sit in records that are traced.
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);
  private final byte[] data;
  private int hash;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** Wraps a copy. */
  public static Bytes of(byte[] data) {
    return data.length == 0 ? EMPTY : new Bytes(data.clone());
  }

  /** Wraps without copying: the caller gives up the array. */
  public static Bytes wrap(byte[] data) {
    return data.length == 0 ? EMPTY : new Bytes(data);
  }

  public static Bytes utf8(String s) {
    return wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  public static Bytes ofLong(long v) {
    return wrap(ByteBuffer.allocate(8).putLong(v).array());
  }

  public int length() {
    return data.length;
  }

  public boolean isEmpty() {
    return data.length == 0;
  }

  public byte get(int i) {
    return data[i];
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return data.clone();
  }

  /** The bytes themselves, not to be modified (codecs on the hot path). */
  public byte[] unsafeArray() {
    return data;
  }

  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  public String utf8() {
    return new String(data, StandardCharsets.UTF_8);
  }

  public String hex() {
    return HexFormat.of().formatHex(data);
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) hash = h = Arrays.hashCode(data);
    return h;
  }

  @Override
  public String toString() {
    return "0x" + hex();
  }
}
