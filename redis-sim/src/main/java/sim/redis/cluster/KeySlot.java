package sim.redis.cluster;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key to hash slot map, as {@code keyHashSlot} in cluster.c: CRC16 (the XMODEM variant,
 * polynomial 0x1021, initial value 0, as crc16.c) of the key, or of its hash tag, modulo 16384. The hash tag is
 * the text between the first '{' and the first '}' after it, and only when that text is not empty; otherwise the
 * whole key (braces included) is hashed.
 */
public final class KeySlot {
  /** CLUSTER_SLOTS in cluster.h. */
  public static final int SLOTS = 16384;

  private static final int[] TABLE = table();

  private KeySlot() {}

  /** The slot of a key whose chars are bytes (the simulator's keys are ISO-8859-1 strings, as RESP decodes them). */
  public static int of(String key) {
    return of(key.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** keyHashSlot: hash the hash tag when there is a non-empty one, else the whole key. */
  public static int of(byte[] key) {
    int s = indexOf(key, (byte) '{', 0);
    if (s < 0) return crc16(key, 0, key.length) & (SLOTS - 1);
    int e = indexOf(key, (byte) '}', s + 1);
    // No '}' after the '{', or "{}": the whole key, as the real code does.
    if (e < 0 || e == s + 1) return crc16(key, 0, key.length) & (SLOTS - 1);
    return crc16(key, s + 1, e - s - 1) & (SLOTS - 1);
  }

  /** CRC16-XMODEM of {@code len} bytes from {@code off}; crc16("123456789") is 0x31C3. */
  public static int crc16(byte[] buf, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buf[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  private static int indexOf(byte[] key, byte b, int from) {
    for (int i = from; i < key.length; i++) {
      if (key[i] == b) return i;
    }
    return -1;
  }

  /** The byte-wise table of polynomial 0x1021, computed rather than copied from crc16.c's literal table. */
  private static int[] table() {
    int[] t = new int[256];
    for (int n = 0; n < 256; n++) {
      int c = n << 8;
      for (int k = 0; k < 8; k++) c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
      t[n] = c & 0xFFFF;
    }
    return t;
  }
}
