package sim.kafka.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The cleaner's offset map (Kafka's {@code SkimpyOffsetMap}): each key's last offset. Open addressing with
 * linear probing over parallel arrays, so a put or a lookup costs one hash of the key's bytes and a compare,
 * with no wrapper object or boxed offset per record; a new key's bytes are copied into one arena (as Kafka's
 * map copies each key's digest into its buffer), so a lookup compares against memory the map keeps hot rather
 * than against the batch the key was first seen in. Keys compare by their bytes exactly (Kafka's map compares 16-byte MD5 digests and
 * accepts their collisions; this one has none). Only looked up, never iterated, so its layout cannot leak into
 * a run.
 */
final class KeyOffsetMap {
  private static final float LOAD = 0.5f;
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private byte[] arena = new byte[1024];
  private int arenaUsed;
  /** Per slot: 0 when empty, else 1 + where the key starts in the arena. */
  private int[] positions = new int[64];
  private int[] lengths = new int[64];
  private int[] hashes = new int[64];
  private long[] offsets = new long[64];
  private int size;

  int size() {
    return size;
  }

  /** Sets the key's offset (the later record of a key replaces the earlier). */
  void put(byte[] b, int pos, int len, long offset) {
    int h = hash(b, pos, len);
    int slot = find(b, pos, len, h);
    if (positions[slot] != 0) {
      offsets[slot] = offset;
      return;
    }
    if (arenaUsed + len > arena.length) arena = Arrays.copyOf(arena, Math.max(arena.length << 1, arenaUsed + len));
    System.arraycopy(b, pos, arena, arenaUsed, len);
    positions[slot] = 1 + arenaUsed;
    arenaUsed += len;
    lengths[slot] = len;
    hashes[slot] = h;
    offsets[slot] = offset;
    if (++size > positions.length * LOAD) grow();
  }

  /** The key's offset, or {@code absent} if the map has none for it. */
  long get(byte[] b, int pos, int len, long absent) {
    int slot = find(b, pos, len, hash(b, pos, len));
    return positions[slot] == 0 ? absent : offsets[slot];
  }

  /** The key's slot, or the empty slot where it would go. */
  private int find(byte[] b, int pos, int len, int h) {
    int mask = positions.length - 1;
    for (int slot = h & mask; ; slot = (slot + 1) & mask) {
      int at = positions[slot];
      if (at == 0) return slot;
      if (hashes[slot] == h && lengths[slot] == len && sameBytes(at - 1, b, pos, len)) return slot;
    }
  }

  /** Four bytes at a time, then the rest one by one. */
  private boolean sameBytes(int at, byte[] b, int pos, int len) {
    int i = 0;
    for (; i + 4 <= len; i += 4) if ((int) INT.get(arena, at + i) != (int) INT.get(b, pos + i)) return false;
    for (; i < len; i++) if (arena[at + i] != b[pos + i]) return false;
    return true;
  }

  private void grow() {
    int[] oldPositions = positions, oldLengths = lengths, oldHashes = hashes;
    long[] oldOffsets = offsets;
    int n = oldPositions.length << 1;
    positions = new int[n];
    lengths = new int[n];
    hashes = new int[n];
    offsets = new long[n];
    for (int i = 0; i < oldPositions.length; i++) {
      if (oldPositions[i] == 0) continue;
      int slot = oldHashes[i] & (n - 1);
      while (positions[slot] != 0) slot = (slot + 1) & (n - 1);
      positions[slot] = oldPositions[i];
      lengths[slot] = oldLengths[i];
      hashes[slot] = oldHashes[i];
      offsets[slot] = oldOffsets[i];
    }
  }

  /**
   * A polynomial over the key four bytes at a time (then the rest one by one), its bits then mixed (murmur3's
   * finaliser) so that linear probing spreads.
   */
  private static int hash(byte[] b, int pos, int len) {
    int h = len;
    int i = pos, end = pos + len;
    for (; i + 4 <= end; i += 4) h = 0x9E3779B1 * h + (int) INT.get(b, i);
    for (; i < end; i++) h = 31 * h + b[i];
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
