package sim.kafka.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@link FieldWriter}'s fields with bounds checks that name the message ({@code what}): a short or corrupt record
 * is a {@link CorruptRecordException} saying what and where, never a crash.
 */
public class FieldReader {
  private final ByteBuffer in;
  private final String what;

  public FieldReader(byte[] bytes, String what) {
    this.in = ByteBuffer.wrap(bytes);
    this.what = what;
  }

  public String what() {
    return what;
  }

  public byte int8() {
    try {
      return in.get();
    } catch (BufferUnderflowException e) {
      throw short_();
    }
  }

  public short int16() {
    try {
      return in.getShort();
    } catch (BufferUnderflowException e) {
      throw short_();
    }
  }

  public int int32() {
    try {
      return in.getInt();
    } catch (BufferUnderflowException e) {
      throw short_();
    }
  }

  public long int64() {
    try {
      return in.getLong();
    } catch (BufferUnderflowException e) {
      throw short_();
    }
  }

  public int remaining() {
    return in.remaining();
  }

  public int count() {
    int n = int32();
    if (n < 0 || n > in.remaining()) throw new CorruptRecordException(what + " has a bad array length " + n + " at byte " + (in.position() - 4));
    return n;
  }

  public String string() {
    String s = nullableString();
    if (s == null) throw new CorruptRecordException(what + " has a null string where one is required, at byte " + (in.position() - 2));
    return s;
  }

  public String nullableString() {
    int n = int16();
    if (n < 0) return null;
    return new String(take(n), StandardCharsets.UTF_8);
  }

  public byte[] blob() {
    byte[] b = nullableBlob();
    if (b == null) throw new CorruptRecordException(what + " has null bytes where they are required");
    return b;
  }

  public byte[] nullableBlob() {
    int n = int32();
    return n < 0 ? null : take(n);
  }

  public int uvarint() {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = int8() & 0xFF;
      v |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw new CorruptRecordException(what + " has a varint longer than 5 bytes");
  }

  /** A flexible version's array length (unsigned varint length + 1), checked against what is left. */
  public int compactCount() {
    int n = uvarint() - 1;
    if (n < 0 || n > in.remaining()) throw new CorruptRecordException(what + " has a bad array length " + n);
    return n;
  }

  public String compactString() {
    int n = uvarint() - 1;
    return n < 0 ? null : new String(take(n), StandardCharsets.UTF_8);
  }

  /** Skips a tagged-field section: a count, then each tag's id and length-prefixed bytes. */
  public void skipTags() {
    for (int i = 0, n = uvarint(); i < n; i++) {
      uvarint();
      take(uvarint());
    }
  }

  private byte[] take(int n) {
    if (n > in.remaining()) throw new CorruptRecordException(what + " claims " + n + " bytes at byte " + in.position() + " but only " + in.remaining() + " remain");
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private CorruptRecordException short_() {
    return new CorruptRecordException(what + " ends early at byte " + in.position());
  }

  public boolean bool() {
    return int8() != 0;
  }

  /** A flexible version's int32 array (null for length 0, Kafka's null). */
  public int[] compactInt32s() {
    int n = uvarint() - 1;
    if (n < 0) return null;
    if (n > in.remaining() / 4) throw new CorruptRecordException(what + " has a bad array length " + n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = int32();
    return out;
  }

  /** Skips a compact array that must be empty (elements without fields this model reads). */
  public void emptyArray() {
    int n = uvarint() - 1;
    if (n > 0) throw new CorruptRecordException(what + ": expected an empty array, found " + n + " elements");
  }

  /** The tagged-field section: {tag, position, size} of each field, the reader left after the section. */
  public java.util.List<int[]> taggedFields() {
    java.util.List<int[]> tags = new java.util.ArrayList<>();
    for (int i = 0, count = uvarint(); i < count; i++) {
      int tag = uvarint();
      int size = uvarint();
      tags.add(new int[] {tag, in.position(), size});
      take(size);
    }
    return tags;
  }

  /** Positions the reader at a tagged field found by {@link #taggedFields}. */
  public void at(int position) {
    in.position(position);
  }
}
